/**
 * A distributed Map killed while its sub-executions run, through the local CloudFlow API (pop-core's signed RPC
 * client): on the next start the parent is replayed, each sub-execution is replayed from its own journal (to its end
 * if it had ended) or run, and none is started twice.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import RPCClient from '@alicloud/pop-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { VirtualClock } from '../../src/flow/clock';
import type { HistoryEvent } from '../../src/flow/history';

const FLOW = 'fan-out';
const DEFINITION = `Type: StateMachine
SpecVersion: v1
Name: ${FLOW}
StartAt: Fan
States:
  - Type: Map
    Name: Fan
    ItemsPath: $Input.items
    ProcessorConfig:
      ExecutionMode: Standard
    MaxConcurrency: 2
    ItemConstructor:
      n.$: $Item
    Processor:
      StartAt: Pause
      States:
        - Type: Wait
          Name: Pause
          Seconds.$: $Input.n
          Next: Done
        - Type: Pass
          Name: Done
          OutputConstructor:
            n.$: $Input.n
            id.$: uuid()
          End: true
    End: true
`;

let dir: string;
let clock: VirtualClock;
const running: RunningEmulator[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'riflow-map-resume-'));
  writeFileSync(join(dir, 's.yaml'), `edition: 3.0.0\nname: t\nresources:\n  fan:\n    component: flow\n    props:\n      name: ${FLOW}\n      definition: ./fan-out.yaml\n`);
  writeFileSync(join(dir, 'fan-out.yaml'), DEFINITION);
  clock = new VirtualClock(Date.UTC(2026, 0, 1));
});
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function emulator(): Promise<RunningEmulator> {
  const started = await startEmulator({ clock, cloudflow: { sYamlPath: join(dir, 's.yaml'), workflowsDir: dir, stateDir: join(dir, 'state'), fsync: false } });
  running.push(started);
  return started;
}

type Body = Record<string, unknown>;
const call = (emulator: RunningEmulator, action: string, params: Body) =>
  new RPCClient({ endpoint: emulator.url, apiVersion: '2019-03-15', ...emulator.credentials }).request<Body>(action, params, { method: 'POST' });

function journal(name: string): HistoryEvent[] {
  return readFileSync(join(dir, 'state', FLOW, `${name}.ndjson`), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as HistoryEvent);
}

describe('a distributed Map resumed from its journals', () => {
  it('replays the parent, replays the sub-executions that had ended, carries on the others, starts none twice', async () => {
    const items = [3, 1, 4, 2, 5];
    // The uninterrupted run, for its output.
    const whole = await emulator();
    await call(whole, 'StartExecution', { FlowName: FLOW, ExecutionName: 'whole', Input: JSON.stringify({ items }) });
    await whole.cloudflow?.executions.settled();
    const expected = JSON.parse((await call(whole, 'DescribeExecution', { FlowName: FLOW, ExecutionName: 'whole' })).Output as string) as { Items: Array<{ n: number }> };
    await whole.stop();
    running.splice(0);
    rmSync(join(dir, 'state'), { recursive: true, force: true });

    const first = await emulator();
    // Killed once three sub-executions have started their Pause (two of them have ended by then, or not).
    let pauses = 0;
    const killed = new Promise<void>((resolve) => {
      first.cloudflow?.executions.subscribe((change) => {
        if (change.event?.type === 'StateStarted' && change.event.state === 'Pause' && ++pauses === 4) void first.stop().then(resolve);
      });
    });
    await call(first, 'StartExecution', { FlowName: FLOW, ExecutionName: 'nightly', Input: JSON.stringify({ items }) });
    await killed;
    const childrenBefore = readdirSync(join(dir, 'state', FLOW)).filter((file) => file !== 'nightly.ndjson' && file !== 'whole.ndjson');
    expect(childrenBefore.length).toBeGreaterThanOrEqual(3);
    // What the sub-executions that had ended answered (their uuid() drawn from their own seed).
    const endedBefore = new Map(
      childrenBefore.flatMap((file) => {
        const end = journal(file.slice(0, -'.ndjson'.length)).find((event) => event.type === 'ExecutionSucceeded');
        return end ? [[file.slice(0, -'.ndjson'.length), end]] : [];
      }),
    );
    expect(endedBefore.size).toBeGreaterThan(0);
    expect(journal('nightly').some((event) => event.type === 'ExecutionSucceeded')).toBe(false);

    const second = await emulator();
    await second.cloudflow?.executions.settled();
    const parent = await call(second, 'DescribeExecution', { FlowName: FLOW, ExecutionName: 'nightly' });
    expect(parent.Status).toBe('Succeeded');
    const output = JSON.parse(parent.Output as string) as { Items: Array<{ n: number; id: string }> };
    expect(output.Items.map((item) => item.n)).toEqual(expected.Items.map((item) => item.n));

    const mapRunName = (journal('nightly').find((event) => event.type === 'MapRunStarted') as Extract<HistoryEvent, { type: 'MapRunStarted' }>).mapRunName;
    const listed = (await call(second, 'ListExecutions', { FlowName: FLOW, MapRunName: mapRunName })).Executions as Body[];
    expect(listed.map((execution) => execution.Status)).toEqual(items.map(() => 'Succeeded'));
    for (const child of listed) {
      const events = journal(child.Name as string);
      // Started once, ended once, nothing recorded twice.
      expect(events.filter((event) => event.type === 'ExecutionStarted')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
      expect(new Set(events.map((event) => event.seq)).size).toBe(events.length);
    }
    // The ones that had ended were replayed, not run again: the same end, the same uuid().
    for (const [name, end] of endedBefore) expect(journal(name).at(-1)).toEqual(end);
    const run = await call(second, 'DescribeMapRun', { FlowName: FLOW, ExecutionName: 'nightly', MapRunName: mapRunName });
    expect(run).toMatchObject({ Status: 'Succeeded', ItemCounts: { Total: 5, Succeed: 5, Failed: 0, Pending: 0, Running: 0 } });

    // After one more restart everything is listed as it ended, and nothing runs.
    await second.stop();
    const third = await emulator();
    expect((await call(third, 'DescribeExecution', { FlowName: FLOW, ExecutionName: 'nightly' })).Output).toBe(parent.Output);
    expect(((await call(third, 'ListExecutions', { FlowName: FLOW, MapRunName: mapRunName })).Executions as Body[]).length).toBe(items.length);
    expect(await call(third, 'DescribeMapRun', { FlowName: FLOW, ExecutionName: 'nightly', MapRunName: mapRunName })).toMatchObject({ Status: 'Succeeded', ItemCounts: { Succeed: 5 } });
  });
});
