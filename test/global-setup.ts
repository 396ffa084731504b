import { execFileSync } from 'node:child_process';

// Tests load the FC bundles exactly as Function Compute would, so build them once before any test file runs.
// (`npm test` builds everything, the CLI bundle included, before vitest starts.)
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--functions'], { stdio: 'inherit' });
}
