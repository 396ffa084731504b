/**
 * The packages of the peers riflow is compared with are not the project's dependencies: aws-local-stepfunctions 3
 * declares Node >= 22, so as a devDependency it made every `npm install` on Node 20 warn. The bench installs them on
 * demand, exactly as bench/peers/package-lock.json pins them, into node_modules/.cache/riflow-bench-peers (outside
 * package.json and package-lock.json, and gone with node_modules), and loads them from there. The install runs
 * again only when the lock file changes.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const pinned = join(root, 'bench', 'peers');
const cache = join(root, 'node_modules', '.cache', 'riflow-bench-peers');

/** Written after a complete install: a copy of the lock file it installed. */
const marker = join(cache, 'installed-lock.json');
const pinnedLock = () => readFileSync(join(pinned, 'package-lock.json'), 'utf8');

function installed(): boolean {
  return existsSync(marker) && readFileSync(marker, 'utf8') === pinnedLock();
}

function install(): void {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(pinned, file), join(cache, file));
  process.stdout.write(`bench: installing the peers of bench/peers/package-lock.json into ${cache} …\n`);
  // No install scripts: none of the peers needs one. Warnings (the peers' engine ranges) are the bench's business,
  // not the project install's, so only errors are shown.
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  writeFileSync(marker, pinnedLock());
}

/** `require(name)` of a package pinned in bench/peers, installed first when needed. */
export function requirePeer(name: string): unknown {
  if (!installed()) install();
  return createRequire(join(cache, 'package.json'))(name);
}
