/**
 * The live view as a user sees it, through a pseudo-terminal (`script` from util-linux), so stdout is a TTY.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { hasAnsi, plain, runInTerminal, scratchDir, WORKFLOW } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe('live view on a terminal', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ config: { preset: 'fast' } });
  });
  afterAll(() => emulator.stop());

  it("npm start's command with --fast: states, statuses, then the summary, in colour", async () => {
    const { code, output } = await runInTerminal(['run', WORKFLOW, '--demo', '--fast'], scratch.dir, {});
    expect(code).toBe(0);
    expect(hasAnsi(output)).toBe(true); // coloured on a terminal
    const text = plain(output);
    expect(text).toMatch(/embedded emulator, demo seed, instant transitions/);
    expect(text).toMatch(/▸ Connect\s+started/);
    expect(text).toMatch(/✓ Describe\s+\d+\.\ds\s+status Active · poll 1/);
    expect(text).toMatch(/◆ SpecMatches\s+→ ModifySpec/);
    expect(text).toMatch(/Succeeded in \d+\.\ds/);
    expect(text).toMatch(/"spec": "Middle\.1"/);
    expect(text).toMatch(/API calls\s+\d+ \(ConnectRouterInterface 1, DescribeRouterInterfaces \d, ModifyRouterInterfaceSpec 1\)/);
    expect(text).toMatch(/Transitions\s+\d+ — CloudFlow would bill USD 0\.000\d+/);
    expect(text).not.toContain('"function":"riflow-'); // handler log lines stay out of the view
  });

  it('shows a retry with its reason and wait (fault injected through the control API), without colour under NO_COLOR', async () => {
    await emulator.control.reset();
    emulator.control.clearFaults();
    emulator.control.addFault({ action: 'ModifyRouterInterfaceSpec', calls: '0', error: { code: 'IncorrectStatus', status: 400, message: 'still settling' } });
    const env = {
      NO_COLOR: '1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    };
    const { code, output } = await runInTerminal(['run', WORKFLOW, '--demo', '--fast', '--endpoint', emulator.url], scratch.dir, env);
    expect(code).toBe(0);
    expect(hasAnsi(output)).toBe(false);
    expect(output).toContain(`endpoint   ${emulator.url}`);
    expect(output).toMatch(/↻ ModifySpec\s+retry 1 in 2s after StatusConflict — IncorrectStatus \(HTTP 400\): still settling/);
    expect(output).toMatch(/✓ ModifySpec\s+2\.0s\s+changed/); // the retry's 2 s passed on the virtual clock
    expect(output).toMatch(/Retries\s+1/);
    expect(output).toMatch(/Task calls\s+\d+/); // not embedded: task count instead of the API call log
    expect(output).not.toContain(emulator.credentials.accessKeySecret);
  });
});
