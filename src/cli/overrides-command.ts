import { writeFile } from 'node:fs/promises';
import { stringifyYaml } from '../config/yaml-text.js';
import { loadOverrides } from '../config/overrides.js';
import { withCorrections } from '../pipeline/apply-overrides.js';
import { openReadContext, type CommonOptions } from './context.js';

/**
 * Writes the corrections in effect as `overrides.yaml` entries (`feedfold overrides export`): the
 * file's own entries and those made in the review app, each once, so the output can replace the
 * file and be kept in version control. `--app-only` leaves the file's entries out.
 */
export async function exportOverridesCommand(opts: CommonOptions & { file?: string; appOnly?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const { config, store } = await openReadContext(opts, env);
  try {
    const stored = (await store?.overrides.activeOverrides()) ?? [];
    const file = opts.appOnly ? { merge: [], split: [], pin: [] } : loadOverrides(config.overridesFile);
    const overrides = withCorrections(file, stored);
    const header = `# feedfold overrides: ${stored.length} correction(s) made in the review app${opts.appOnly ? '' : ` and the entries of ${config.overridesFile}`}\n`;
    const yaml = header + stringifyYaml({ merge: overrides.merge, split: overrides.split, pin: overrides.pin });
    if (opts.file) await writeFile(opts.file, yaml);
    else out(yaml.trimEnd());
    return 0;
  } finally {
    await store?.close();
  }
}
