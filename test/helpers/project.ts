import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringifyYaml as stringify } from '../../src/config/yaml-text.js';
import { ROOT } from './paths.js';

/** A throwaway feedfold installation: a config file, an out folder and whatever inputs a test adds. */
export interface TempProject {
  dir: string;
  configFile: string;
  outDir: string;
  feedFile: string;
  /** Rewrites the config with these sources (and any other keys); `fetch.allowPrivateNetworks` is on unless the test sets it. */
  writeConfig(config: Record<string, unknown>): void;
  /** Copies the bundled seeds (or the named ones) into a folder of the project and returns it. */
  copySeeds(names?: string[]): string;
  cleanup(): void;
}

/** Creates a temporary project folder with a config of the given sources, or wraps an existing one. */
export function tempProject(config: Record<string, unknown> = {}, existingDir?: string): TempProject {
  const dir = existingDir ?? mkdtempSync(path.join(os.tmpdir(), 'feedfold-test-'));
  const configFile = path.join(dir, 'feedfold.yaml');
  const outDir = path.join(dir, 'out');
  const project: TempProject = {
    dir,
    configFile,
    outDir,
    feedFile: path.join(outDir, 'feed.atom'),
    writeConfig(c) {
      // Test feeds are served from loopback, which a real run refuses unless told otherwise.
      const fetch = { allowPrivateNetworks: true, ...(c['fetch'] as Record<string, unknown> | undefined) };
      writeFileSync(configFile, stringify({ out: 'out', feed: { selfUrl: 'http://127.0.0.1:8080/feed.atom' }, ...c, fetch }));
    },
    copySeeds(names) {
      const target = path.join(dir, 'seeds');
      mkdirSync(target, { recursive: true });
      const all = ['000_168ea976ff7458c6.txt', '001_14234c3bc899f81f.txt', '002_d9a93c932fb96118.txt', '003_8e8c2d55f66e7474.txt', '004_e859859a89bdac24.txt'];
      for (const n of names ?? all) cpSync(path.join(ROOT, 'seeds', n), path.join(target, n));
      return target;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!existingDir) project.writeConfig(config);
  return project;
}
