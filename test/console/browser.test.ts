/**
 * The console in a real browser: Chromium (Debian's package) driven by playwright-core, against a console with
 * instant transitions and a virtual clock. One browser for the file; each test gets a fresh page and fails on any
 * console error or page error. Without Chromium the suite is skipped, loudly, unless CI=true, where it fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, INSTALL_HINT, launchChromium } from './browser';
import { DEMO_INITIATOR_ID, demoInput } from './fixtures';
import { startTestConsole, type TestConsole } from './harness';

const available = hasChromium();
const required = process.env.CI === 'true';
const CONNECT_FLOW = 'riflow-connect-and-modify-spec';

if (!available) {
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! The console's browser tests did NOT run: no Chromium at ${CHROMIUM_PATH}.\n!! ${INSTALL_HINT}\n${line}\n`);
}

if (!available && required) {
  describe('the console in Chromium (CI)', () => {
    it('needs Chromium: CI must run the browser tests', () => {
      throw new Error(`no Chromium at ${CHROMIUM_PATH}. ${INSTALL_HINT}`);
    });
  });
}

describe.runIf(available)('the console in Chromium', () => {
  let consoleServer: TestConsole;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let problems: string[];
  /** Resource errors a test causes on purpose (a refused request logs one in the console). */
  let expectedProblems: RegExp[];

  beforeAll(async () => {
    consoleServer = await startTestConsole();
    // `rebound.test` resolves to this machine, as a DNS-rebinding attacker's name would.
    browser = await launchChromium({ width: 1280, height: 800 }, ['--host-resolver-rules=MAP rebound.test 127.0.0.1']);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await consoleServer?.close();
  });

  beforeEach(async () => {
    consoleServer.emulator.control.clearFaults();
    await consoleServer.emulator.control.reset();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    problems = [];
    expectedProblems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });
  afterEach(async () => {
    await page.close();
    expect(problems.filter((problem) => !expectedProblems.some((expected) => expected.test(problem)))).toEqual([]);
  });

  async function open(): Promise<void> {
    await page.goto(consoleServer.consoleUrl);
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
  }

  const state = (name: string) => page.locator(`#graph [data-state="${name}"]`);
  const classesOf = async (name: string): Promise<string[]> => ((await state(name).getAttribute('class')) ?? '').split(/\s+/);

  it('loads with no console errors and draws every workflow of s.yaml', async () => {
    await open();
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar
    const flows = await page.locator('#flow-select option').allTextContents();
    expect(flows.sort()).toEqual(['riflow-batch-modify-spec', CONNECT_FLOW, 'riflow-deactivate', 'riflow-fleet-modify-spec', 'riflow-modify-spec']);
    for (const flow of flows) {
      await page.selectOption('#flow-select', flow);
      await expect.poll(() => page.locator('#flow-file').textContent()).toMatch(/^workflows\/.+\.yaml$/);
      expect(await page.locator('#graph .node').count()).toBeGreaterThan(4);
    }
    await page.selectOption('#flow-select', 'riflow-batch-modify-spec');
    expect(await page.locator('#graph .cluster').count()).toBeGreaterThan(0);
    expect(JSON.parse(await page.locator('#input-editor').inputValue())).toEqual({ changes: [demoInput()] });
  });

  it('starts the demo run from the prefilled input and shows it reach Succeeded, with the path it took', async () => {
    await open();
    expect(JSON.parse(await page.locator('#input-editor').inputValue())).toEqual(demoInput());
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Succeeded');
    for (const name of ['Connect', 'WaitBeforePoll', 'Describe', 'IsActive', 'SpecMatches', 'ModifySpec', 'Done']) {
      expect(await classesOf(name), name).toContain('visited');
    }
    for (const name of ['ConnectFailed', 'NotFound', 'PollGaveUp']) expect(await classesOf(name), name).not.toContain('visited');
    // start → Connect → WaitBeforePoll → Describe → IsActive → SpecMatches → ModifySpec → WaitBeforePoll …
    // IsActive → Done → end: nine edges.
    expect(await page.locator('#graph .edge.taken').count()).toBe(9);
    expect(await page.locator('#graph .node.current').count()).toBe(0);
    // The interface moved, live: the initiator is Active at the new spec.
    const initiator = page.locator(`#interfaces tr[data-interface="${DEMO_INITIATOR_ID}"]`);
    await expect.poll(() => initiator.locator('.ri-status').textContent()).toBe('Active');
    expect(await initiator.locator('.ri-spec').textContent()).toBe(demoInput().spec);
    // A state's visits: input and output.
    await state('Describe').click();
    await expect.poll(() => page.locator('#state-details h3').textContent()).toBe('Describe');
    expect(await page.locator('#state-details details').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#state-details details[open]').textContent()).toContain('"status": "Active"');
    const name = (await page.locator('#run-title').textContent()) ?? '';
    await expect.poll(() => page.locator(`#executions [data-execution="${name}"]`).textContent()).toContain('Succeeded');
  });

  it('refuses a bad input at its field before sending anything', async () => {
    await open();
    const starts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/_console/api/executions')) starts.push(request.url());
    });
    const editor = page.getByLabel('Input (JSON)');
    await editor.fill(JSON.stringify({ ...demoInput(), spec: 'Huge.9' }, null, 2));
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#input-error').textContent()).toContain('Line 4: spec: must be one of');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    const selected = await page.evaluate('(() => { const t = document.getElementById("input-editor"); return t.value.slice(t.selectionStart, t.selectionEnd); })()');
    expect(selected).toBe('"Huge.9"');
    await editor.fill('{"regionId": "cn-hangzhou",\n "spec": }');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#input-error').textContent()).toContain('Line 2: input: not valid JSON');
    expect(starts).toEqual([]);
    // A name only the server checks: refused there (HTTP 400), shown at the name field.
    expectedProblems.push(/status of 400/);
    await page.getByRole('button', { name: 'Demo input' }).click();
    await page.getByLabel('Execution name').fill('-not-a-name');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#input-error').textContent()).toContain('name: must be 1–128');
    expect(await page.getByLabel('Execution name').getAttribute('aria-invalid')).toBe('true');
    expect(consoleServer.emulator.cloudflow?.executions.list(CONNECT_FLOW).some((execution) => execution.name === '-not-a-name')).toBe(false);
  });

  it('shows a failing run\'s error on the state where it happened (a fault rule added in the page)', async () => {
    await open();
    await expect.poll(() => page.locator('#fault-editor').inputValue()).toContain('Forbidden.BillsOutstanding');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.locator('#faults li[data-fault]').count()).toBe(1);
    expect(consoleServer.emulator.control.faults()).toHaveLength(1);
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Failed');
    expect(await classesOf('Connect')).toContain('caught');
    expect(await classesOf('AccountLocked')).toContain('failed');
    const runError = (await page.locator('#run-error').textContent()) ?? '';
    expect(runError).toContain('AccountLocked');
    expect(runError).toContain('caught at Connect: AccountLocked: Forbidden.BillsOutstanding');
    expect(await state('Connect').getAttribute('aria-label')).toContain('error AccountLocked, caught, next AccountLocked');
    await state('Connect').focus();
    await page.keyboard.press('Enter');
    const error = page.locator('#state-details .state-error[data-error="AccountLocked"]');
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.textContent()).toContain('Forbidden.BillsOutstanding (HTTP 400)');
    await page.getByRole('button', { name: /^Remove fault rule/ }).click();
    await expect.poll(() => page.locator('#faults').textContent()).toContain('No fault rules');
    expect(consoleServer.emulator.control.faults()).toEqual([]);
  });

  it('shows a state\'s retries: count on the graph, each retry with its error in the details', async () => {
    // The first ModifyRouterInterfaceSpec meets a status conflict: the workflow's Retry rule runs it again.
    consoleServer.emulator.control.addFault({ action: 'ModifyRouterInterfaceSpec', calls: '0', error: { code: 'IncorrectStatus', status: 400 } });
    await open();
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Succeeded');
    expect(await classesOf('ModifySpec')).toContain('retried');
    expect(await state('ModifySpec').locator('.badge-text').textContent()).toBe('↻1');
    expect(await state('ModifySpec').getAttribute('aria-label')).toContain('1 retry');
    await state('ModifySpec').click();
    const retries = page.locator('#state-details details[open] .retries li');
    await expect.poll(() => retries.count()).toBe(1);
    expect(await retries.first().textContent()).toMatch(/^StatusConflict → retry 1 in 2s: IncorrectStatus \(HTTP 400\)/);
  });

  it('stops a running execution and shows where it stopped', async () => {
    // Describe answers after 8 s of real time: the run sits in that state until it is stopped.
    consoleServer.emulator.control.addFault({ action: 'DescribeRouterInterfaces', calls: '0-', latencyMs: 8_000 });
    await open();
    await page.getByRole('button', { name: 'Start execution' }).click();
    await expect.poll(async () => (await classesOf('Describe')).includes('current'), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#run-status').textContent()).toBe('Running');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Stopped');
    expect(await classesOf('Describe')).toContain('aborted');
    expect(await classesOf('Describe')).not.toContain('current');
    expect(await page.locator('#run-error').textContent()).toContain('Stopped');
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()).toBe(true);
  });

  it('replays a past execution on the graph, and shows a corrupt history as corrupt, with its line', async () => {
    const started = await fetch(`${consoleServer.url}/_console/api/executions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${consoleServer.token}`, origin: consoleServer.url, 'content-type': 'application/json' },
      body: JSON.stringify({ flow: CONNECT_FLOW, name: 'replay-me', input: demoInput() }),
    });
    expect(started.status).toBe(200);
    await consoleServer.emulator.cloudflow?.executions.settled();
    writeFileSync(join(consoleServer.historyDir, 'torn-file.ndjson'), '{"v":1,"seq":1,"time":"2026-01-01T00:00:00Z","execution":"torn-file","type":"ExecutionStarted","flow":"riflow-deactivate","input":{}}\nnot json\n');
    await page.clock.install();
    await open();
    await page.locator('#executions [data-execution="replay-me"]').click();
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Succeeded');
    await page.getByLabel('Replay').fill('0');
    await expect.poll(() => page.locator('#graph .node.visited').count()).toBe(0);
    await page.getByLabel('Replay').fill('3'); // ExecutionStarted, StateEntered Connect, StateStarted Connect
    await expect.poll(async () => (await classesOf('Connect')).includes('current')).toBe(true);
    expect(await classesOf('Done')).not.toContain('visited');
    const end = await page.getByLabel('Replay').getAttribute('max');
    // The page's own timers from here on run on Playwright's clock: a replay step is 120 ms of it.
    await page.clock.pauseAt(Date.now() + 1_000);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.clock.runFor(5 * 120);
    expect(await page.getByLabel('Replay').inputValue()).toBe('5');
    expect(await classesOf('Connect')).toContain('visited');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.clock.runFor(10 * 120);
    expect(await page.getByLabel('Replay').inputValue()).toBe('5');
    await page.clock.resume();
    await page.getByLabel('Replay').fill(end ?? '');
    await expect.poll(async () => (await classesOf('Done')).includes('visited')).toBe(true);
    const torn = page.locator('#executions [data-execution="torn-file"]');
    expect(await torn.textContent()).toContain('corrupt at line 2');
    await torn.click();
    await expect.poll(() => page.locator('#run-error').textContent()).toContain('torn-file.ndjson is corrupt at line 2');
  });

  it('reaches the main controls by keyboard, each with a label', async () => {
    await open();
    expect(await page.getByLabel('Workflow').evaluate((element) => element.tagName)).toBe('SELECT');
    for (const label of ['Execution name', 'Input (JSON)', 'New fault rule (JSON)', 'Replay']) expect(await page.getByLabel(label).count(), label).toBe(1);
    for (const name of ['Start execution', 'Demo input', 'Stop', 'Play', 'Add rule', 'Remove all']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    expect(await page.getByRole('button', { name: /^Connect, Task riflow-connect/ }).count()).toBe(1);
    const reached: string[] = [];
    for (let presses = 0; presses < 60; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate('(() => { const e = document.activeElement; return e ? (e.id || e.getAttribute("aria-label") || e.textContent || e.tagName) : ""; })()');
      reached.push(String(focused));
    }
    for (const id of ['flow-select', 'execution-name', 'input-editor', 'start-button', 'demo-input-button', 'fault-editor', 'add-fault-button', 'clear-faults-button']) {
      expect(reached, id).toContain(id);
    }
    expect(reached.some((name) => name.startsWith('Connect, Task'))).toBe(true);
    // And used by keyboard: the run starts from the focused button.
    await page.locator('#start-button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#run-status').textContent()).toBe('Succeeded');
  });

  it('fits 1280×800 and a narrow window without sideways scrolling', async () => {
    const overflow = '(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)()';
    await open();
    expect(await page.evaluate(overflow)).toBe(0);
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(overflow)).toBe(0);
    // The graph keeps a readable size and scrolls inside its own panel instead.
    const panel = await page.locator('#graph').boundingBox();
    expect(panel?.width ?? 1000).toBeLessThanOrEqual(390);
    expect(await page.evaluate('(() => { const g = document.getElementById("graph"); return g.scrollWidth > g.clientWidth; })()')).toBe(true);
    await page.getByRole('button', { name: 'Start execution' }).scrollIntoViewIfNeeded();
    expect(await page.getByRole('button', { name: 'Start execution' }).isVisible()).toBe(true);
  });

  it('refuses a page without the token, under a rebound DNS name, or from another site', async () => {
    expectedProblems.push(/status of 404/); // the browser's own favicon request to the bare error pages
    await browser.context.clearCookies();
    const bare = await page.goto(`${consoleServer.url}/_console/`);
    expect(bare?.status()).toBe(401);
    const rebound = await page.goto(`http://rebound.test:${consoleServer.port}/_console/?token=${consoleServer.token}`);
    expect(rebound?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('Forbidden.Host');

    // Another site on this machine (another port) whose page tries to start a run, by fetch and by a form.
    const target = `${consoleServer.url}/_console/api/executions`;
    const body = JSON.stringify({ flow: CONNECT_FLOW, name: 'cross-site', input: demoInput() });
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><link rel="icon" href="data:,"><form method="POST" action="${target}" enctype="text/plain">
        <input type="hidden" name='${body}' value=''><button>go</button></form>`);
    });
    await new Promise<void>((done) => evil.listen(0, '127.0.0.1', () => done()));
    expectedProblems.push(/status of 40[13]/);
    try {
      await open(); // the cookie is back: the attack has every advantage the browser gives it
      const refused: number[] = [];
      page.on('response', (response) => {
        if (response.url() === target) refused.push(response.status());
      });
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      await page.evaluate(`fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: ${JSON.stringify(body)} }).then(() => 'sent')`);
      await Promise.all([page.waitForURL(target), page.click('button')]);
      await expect.poll(() => refused).toEqual([403, 403]);
      expect(await page.textContent('body')).toContain('Forbidden.Origin');
      expect(consoleServer.emulator.cloudflow?.executions.list(CONNECT_FLOW).some((execution) => execution.name === 'cross-site')).toBe(false);
    } finally {
      await new Promise<void>((done) => {
        evil.close(() => done());
        evil.closeAllConnections();
      });
    }
  });
});
