import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared corpora beside the checkout; absent on a fresh clone without ../shared. */
export const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
export const HAS_CORPORA = existsSync(CORPORA);
/** Message for tests skipped because ../shared is absent. */
export const NO_CORPORA = `skipped: ${CORPORA} is absent (the shared corpora sit beside the checkout)`;
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
