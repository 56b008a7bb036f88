/**
 * Builds the Go MinHash-LSH peer (go-peer/main.go) from Debian's packaged Go libraries, in GOPATH mode, in a temporary
 * folder: the bench compares `feedfold cluster` with it on the same file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEBIAN_GOPATH = '/usr/share/gocode';
const LIBRARIES = ['github.com/ekzhu/minhash-lsh', 'github.com/dgryski/go-minhash'];
const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'go-peer', 'main.go');

/** How to get what the peer needs, printed when something is missing. */
export const GO_PEER_INSTALL = 'apt-get install golang-go golang-github-ekzhu-minhash-lsh-dev golang-github-dgryski-go-minhash-dev';

/** Builds the peer under `dir`; returns its executable, or why it cannot be built. */
export function buildGoPeer(dir: string): { binary: string } | { missing: string } {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return { missing: 'the go command' };
  const absent = LIBRARIES.filter((lib) => !existsSync(path.join(DEBIAN_GOPATH, 'src', lib)));
  if (absent.length > 0) return { missing: absent.join(', ') };
  const src = path.join(dir, 'src', 'gopeer');
  mkdirSync(src, { recursive: true });
  copyFileSync(SOURCE, path.join(src, 'main.go'));
  const binary = path.join(dir, 'gopeer');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: src,
    env: { ...process.env, GOPATH: `${dir}:${DEBIAN_GOPATH}`, GO111MODULE: 'off', GOFLAGS: '' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`bench: go build of the peer failed: ${build.stderr}`);
  return { binary };
}
