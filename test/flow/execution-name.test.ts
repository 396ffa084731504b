/**
 * One execution-name rule, CloudFlow's: a letter or `_` first, then letters, digits, `_` or `-`, 1–128 characters.
 * Every place that takes a name applies it: the interpreter, the start function, `riflow run` and the emulator's
 * CloudFlow API. `_nightly` is a name everywhere; `9lives` is one nowhere.
 */
import { join } from 'node:path';
import FnfClient from '@alicloud/fnf-2019-03-15';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toStartRequests } from '../../src/cloudflow/start-requests';
import { startExecution } from '../../src/flow/execution';
import { isExecutionName, toExecutionName } from '../../src/flow/execution-name';
import { runCli, scratchDir, WORKFLOW } from '../cli/helpers';
import { REGION, withEmulator } from '../emulator/helpers';
import { flowOf } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const GOOD = '_nightly';
const BAD = '9lives';

describe('isExecutionName', () => {
  it.each([GOOD, 'a', 'Z-1_b', 'x'.repeat(128)])('accepts %s', (name) => {
    expect(isExecutionName(name)).toBe(true);
  });

  it.each([BAD, '-x', '', 'a b', 'é', 'a.b', 'x'.repeat(129), 42])('refuses %s', (name) => {
    expect(isExecutionName(name)).toBe(false);
  });

  it('toExecutionName makes a name the rule accepts from any text', () => {
    for (const raw of ['9lives', 'call-1A2B', 'a b/c', '', '-'.repeat(300)]) expect(isExecutionName(toExecutionName(raw))).toBe(true);
  });
});

describe('every place that takes an execution name', () => {
  const pass = flowOf('  - Type: Pass\n    Name: Done\n    End: true\n');
  const noTasks = async (): Promise<never> => {
    throw new Error('no task runs here');
  };

  it('the interpreter', async () => {
    expect(() => startExecution(pass, {}, { name: BAD, invokeTask: noTasks })).toThrow(/invalid execution name "9lives": it must be 1–128 letters/);
    await expect(startExecution(pass, {}, { name: GOOD, invokeTask: noTasks }).result).resolves.toMatchObject({ name: GOOD, status: 'Succeeded' });
  });

  it('the start function', () => {
    const request = (executionName: string) => ({ flow: 'riflow-deactivate', input: { regionId: REGION, routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq' }, executionName });
    expect(toStartRequests(request(GOOD), 'r')[0]?.executionName).toBe(GOOD);
    expect(() => toStartRequests(request(BAD), 'r')).toThrow(expect.objectContaining({ name: 'InvalidInput', field: 'event.executionName', rule: 'execution-name' }));
  });

  describe('riflow run --name', () => {
    let scratch: ReturnType<typeof scratchDir>;
    beforeEach(() => {
      scratch = scratchDir();
    });
    afterEach(() => scratch.remove());

    it('refuses 9lives before anything runs, and runs _nightly', async () => {
      const refused = await runCli(['run', WORKFLOW, '--demo', '--fast', '--json', '--name', BAD], { cwd: scratch.dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/--name "9lives" is not a valid execution name/);
      const ran = await runCli(['run', WORKFLOW, '--demo', '--fast', '--json', '--name', GOOD], { cwd: scratch.dir });
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
    });
  });

  it("the emulator's CloudFlow API", async () => {
    await withEmulator(
      { config: { preset: 'fast' }, functionEnvironment: { RIFLOW_HANDLER_LOG: 'off' }, cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') } },
      async (emulator) => {
        const client = new FnfClient({ endpoint: emulator.url, ...emulator.credentials });
        const input = JSON.stringify({ regionId: REGION, routerInterfaceId: 'ri-doesnotexist0000000000' });
        await expect(client.startExecution({ FlowName: 'riflow-deactivate', ExecutionName: BAD, Input: input })).rejects.toMatchObject({
          code: 'InvalidArgument',
          message: expect.stringMatching(/ExecutionName must be 1–128 letters/),
        });
        const started = (await client.startExecution({ FlowName: 'riflow-deactivate', ExecutionName: GOOD, Input: input })) as { Name: string };
        expect(started.Name).toBe(GOOD);
        await emulator.cloudflow?.executions.settled();
      },
    );
  });
});
