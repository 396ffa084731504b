/**
 * Chromium from the system (Debian's `chromium` package) driven by playwright-core, which downloads no browser.
 * The flags keep it off the network: without them it keeps trying to reach Google's services.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.RIFLOW_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const INSTALL_HINT = 'Install Chromium to run them: sudo apt-get install -y chromium (Debian/Ubuntu), or set RIFLOW_CHROMIUM to a Chromium binary.';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** One browser with a fresh profile (a persistent context owns its user data dir); close() removes the profile. */
export async function launchChromium(viewport = { width: 1280, height: 800 }, extraArgs: string[] = []): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'riflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    viewport,
    timeout: 30_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
