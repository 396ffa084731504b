import { execFileSync } from 'node:child_process';

// Tests load the FC bundles exactly as Function Compute would, so build them once before any test file runs.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
