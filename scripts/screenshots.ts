/**
 * `npm run screenshots`: the console's main views as PNGs under docs/ (1280×800, and a narrow window), from a
 * console with the demo seed, instant transitions and a virtual clock, in the system's Chromium.
 */
import { join } from 'node:path';
import { demoInput } from '../src/cli/demo';
import { hasChromium, INSTALL_HINT, launchChromium } from '../test/console/browser';
import { ROOT, startTestConsole } from '../test/console/harness';

const DOCS = join(ROOT, 'docs');

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`no Chromium: ${INSTALL_HINT}`);
  const consoleServer = await startTestConsole();
  const browser = await launchChromium({ width: 1280, height: 800 });
  try {
    const page = await browser.context.newPage();
    await page.goto(consoleServer.consoleUrl);
    await page.waitForSelector('body[data-ready=true]');

    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForSelector('#run-status.status-Succeeded');
    await page.locator('#graph [data-state="Describe"]').click();
    await page.screenshot({ path: join(DOCS, 'console-run.png') });

    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.waitForSelector('#faults li[data-fault]');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForSelector('#run-status.status-Failed');
    await page.locator('#graph [data-state="Connect"]').click();
    await page.screenshot({ path: join(DOCS, 'console-failed.png') });
    await page.getByRole('button', { name: 'Remove all' }).click();

    await page.getByLabel('Input (JSON)').fill(JSON.stringify({ ...demoInput(), spec: 'Large.9' }, null, 2));
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForSelector('#input-error:not(:empty)');
    await page.screenshot({ path: join(DOCS, 'console-input-error.png') });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Demo input' }).click();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(DOCS, 'console-narrow.png') });
    console.log(`screenshots written to ${DOCS}: console-run.png, console-failed.png, console-input-error.png, console-narrow.png`);
  } finally {
    await browser.close();
    await consoleServer.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
