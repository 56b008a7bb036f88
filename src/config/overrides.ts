import { existsSync, readFileSync } from 'node:fs';
import { parseYaml } from './yaml-text.js';
import { z } from 'zod';
import { FeedfoldError } from '../model/errors.js';

const ref = z.string().min(1);

const overridesSchema = z
  .object({
    merge: z.array(z.tuple([ref, ref])).nullish().transform((v) => v ?? []),
    split: z.array(ref).nullish().transform((v) => v ?? []),
    pin: z
      .array(z.object({ story: ref, canonical: ref }).strict())
      .nullish()
      .transform((v) => v ?? []),
  })
  .strict();

/** Operator corrections: stories and articles are named by story id, article id or article URL. */
export type Overrides = z.output<typeof overridesSchema>;

export const NO_OVERRIDES: Overrides = { merge: [], split: [], pin: [] };

/** Loads `overrides.yaml`; a missing file means no overrides, a wrong one stops with the key named. */
export function loadOverrides(file: string): Overrides {
  if (!existsSync(file)) return NO_OVERRIDES;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FeedfoldError('config', 'invalid-yaml', `${file}: ${(err as Error).message}`, { cause: err });
  }
  const result = overridesSchema.safeParse(data ?? {});
  if (!result.success) {
    // Unknown keys are named in full (`pin.0.canonnical`), as in the config file's messages.
    const detail = result.error.issues
      .flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => `${[...i.path, k].join('.')}: unknown key`) : [`${i.path.join('.') || '(top level)'}: ${i.message}`]))
      .join('; ');
    throw new FeedfoldError('config', 'invalid', `${file}: ${detail}`);
  }
  return result.data;
}
