/**
 * A distributed Map through the local CloudFlow API, with pop-core's signed RPC client: the sub-workflow executions
 * are executions of the parent's flow with their own histories, listed by ListExecutions with their MapRunName (and
 * not without), and DescribeMapRun reports the run and its item counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { withEmulator } from './helpers';

const FLOW = 'fan-out';
const DEFINITION = [
  'Type: StateMachine',
  'SpecVersion: v1',
  `Name: ${FLOW}`,
  'StartAt: Fan',
  'States:',
  '  - Type: Map',
  '    Name: Fan',
  '    ItemsPath: $Input.items',
  '    ProcessorConfig:',
  '      ExecutionMode: Standard',
  '    MaxConcurrency: 2',
  '    ToleratedFailureCount: 1',
  '    ItemConstructor:',
  '      n.$: $Item',
  '    Processor:',
  '      StartAt: Pause',
  '      States:',
  '        - Type: Wait',
  '          Name: Pause',
  '          Seconds: 10',
  '          Next: Check',
  '        - Type: Choice',
  '          Name: Check',
  '          Branches:',
  '            - Condition: $Input.n == 3',
  '              Next: Broken',
  '          Default: Done',
  '        - Type: Fail',
  '          Name: Broken',
  '          Code: ItemBroken',
  '          Detail: item 3 is broken',
  '        - Type: Pass',
  '          Name: Done',
  '          End: true',
  '    End: true',
  '',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'riflow-map-run-'));
  writeFileSync(join(dir, 's.yaml'), `edition: 3.0.0\nname: t\nresources:\n  fan:\n    component: flow\n    props:\n      name: ${FLOW}\n      definition: ./fan-out.yaml\n`);
  writeFileSync(join(dir, 'fan-out.yaml'), DEFINITION);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Body = Record<string, unknown>;

describe('a distributed Map through the local CloudFlow API', () => {
  it('serves each sub-execution as an execution of its own, listed by its map run, and DescribeMapRun', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock, cloudflow: { sYamlPath: join(dir, 's.yaml'), workflowsDir: dir } }, async (emulator) => {
      const client = new RPCClient({ endpoint: emulator.url, apiVersion: '2019-03-15', ...emulator.credentials });
      const call = (action: string, params: Body) => client.request<Body>(action, params, { method: 'POST' });
      await call('StartExecution', { FlowName: FLOW, ExecutionName: 'nightly', Input: JSON.stringify({ items: [1, 2, 3, 4] }) });
      await emulator.cloudflow?.executions.settled();

      const parent = await call('DescribeExecution', { FlowName: FLOW, ExecutionName: 'nightly' });
      expect(parent.Status).toBe('Succeeded');
      expect(JSON.parse(parent.Output as string)).toEqual({ Items: [{ n: 1 }, { n: 2 }, { Error: { Code: 'ItemBroken', Detail: 'item 3 is broken' } }, { n: 4 }] });

      const history = (await call('GetExecutionHistory', { FlowName: FLOW, ExecutionName: 'nightly' })).Events as Body[];
      expect(history.map((event) => event.Type)).toEqual(['ExecutionStarted', 'StepEntered', 'StepStarted', 'MapRunStarted', 'StepSucceeded', 'StepExited', 'ExecutionSucceeded']);
      const { mapRunName } = JSON.parse(history[3]?.EventDetail as string) as { mapRunName: string };
      expect(mapRunName).toMatch(/^[0-9a-f]{32}$/);

      // ListExecutions: the parent alone without a MapRunName; its four sub-executions with it, in start order.
      const top = (await call('ListExecutions', { FlowName: FLOW })).Executions as Body[];
      expect(top.map((execution) => execution.Name)).toEqual(['nightly']);
      const children = (await call('ListExecutions', { FlowName: FLOW, MapRunName: mapRunName })).Executions as Body[];
      const prefix = `nightly-${mapRunName.slice(0, 8)}-`;
      expect(children.map((execution) => [execution.Name, execution.Status])).toEqual([
        [`${prefix}0`, 'Succeeded'],
        [`${prefix}1`, 'Succeeded'],
        [`${prefix}2`, 'Failed'],
        [`${prefix}3`, 'Succeeded'],
      ]);
      const paged = await call('ListExecutions', { FlowName: FLOW, MapRunName: mapRunName, Limit: 3 });
      expect(paged.NextToken).toBe(`${prefix}3`);

      // Each sub-execution has its own history, which starts by naming its parent.
      const own = (await call('GetExecutionHistory', { FlowName: FLOW, ExecutionName: `${prefix}2` })).Events as Body[];
      expect(own.map((event) => event.Type)).toEqual([
        'ExecutionStarted', 'StepEntered', 'StepStarted', 'StepSucceeded', 'StepExited',
        'StepEntered', 'StepStarted', 'StepSucceeded', 'StepExited', 'StepEntered', 'StepStarted', 'StepFailed', 'StepExited', 'ExecutionFailed',
      ]);
      expect(JSON.parse(own[0]?.EventDetail as string)).toMatchObject({ input: { n: 3 }, parent: { execution: 'nightly', state: 'Fan', mapRunName, index: 2 } });
      const child = await call('DescribeExecution', { FlowName: FLOW, ExecutionName: `${prefix}0` });
      expect(child).toMatchObject({ Status: 'Succeeded', Input: '{"n":1}', Output: '{"n":1}', FlowDefinition: DEFINITION });

      const run = await call('DescribeMapRun', { FlowName: FLOW, ExecutionName: 'nightly', MapRunName: mapRunName });
      expect(run).toMatchObject({
        ExecutionName: 'nightly',
        MapRunName: mapRunName,
        Status: 'Succeeded',
        Concurrency: 2,
        ToleratedFailedCount: 1,
        ItemCounts: { Pending: 0, Running: 0, Succeed: 3, Failed: 1, Aborted: 0, Total: 4 },
      });
      expect(typeof run.StartedTime).toBe('string');
      await expect(call('DescribeMapRun', { FlowName: FLOW, ExecutionName: 'nightly', MapRunName: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'MapRunNotExists' });
    });
  });

  it('StopExecution on the parent stops its running sub-executions', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator({ clock, cloudflow: { sYamlPath: join(dir, 's.yaml'), workflowsDir: dir } }, async (emulator) => {
      const client = new RPCClient({ endpoint: emulator.url, apiVersion: '2019-03-15', ...emulator.credentials });
      const call = (action: string, params: Body) => client.request<Body>(action, params, { method: 'POST' });
      const store = emulator.cloudflow;
      // The virtual clock waits: time moves only once the process is idle, and the first two sub-executions start at once.
      await call('StartExecution', { FlowName: FLOW, ExecutionName: 'stop-me', Input: JSON.stringify({ items: [1, 2, 4] }) });
      await call('StopExecution', { FlowName: FLOW, ExecutionName: 'stop-me' });
      const parent = store?.executions.get(FLOW, 'stop-me');
      expect(parent?.status).toBe('Stopped');
      const started = parent?.events.find((event) => event.type === 'MapRunStarted');
      const mapRunName = started?.type === 'MapRunStarted' ? started.mapRunName : '';
      const children = store?.executions.listMapRun(FLOW, mapRunName) ?? [];
      expect(children.map((execution) => execution.status)).toEqual(['Stopped', 'Stopped']);
      const run = await call('DescribeMapRun', { FlowName: FLOW, ExecutionName: 'stop-me', MapRunName: mapRunName });
      expect(run).toMatchObject({ Status: 'Aborted', ItemCounts: { Pending: 0, Succeed: 0, Aborted: 3, Total: 3 } });
    });
  });
});
