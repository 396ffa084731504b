import { execFileSync } from 'node:child_process';
import { CHROMIUM_PATH, hasChromium, INSTALL_HINT } from './console/browser';

// Tests load the FC bundles exactly as Function Compute would, so build them once before any test file runs
// (the console page too, for its browser tests). `npm test` builds everything, the CLI bundle included, before
// vitest starts.
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--functions'], { stdio: 'inherit' });
  // Said last, where it is seen: a run without Chromium has not tested the console in a browser.
  return () => {
    if (hasChromium()) return;
    const line = '!'.repeat(100);
    console.warn(`\n${line}\n!! The console's browser tests did NOT run (no Chromium at ${CHROMIUM_PATH}).\n!! ${INSTALL_HINT}\n${line}\n`);
  };
}
