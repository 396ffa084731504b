import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock, type Clock } from '../../src/flow/clock';
import { startExecution } from '../../src/flow/execution';
import { HistoryReadError, readHistory, type HistoryEvent } from '../../src/flow/history';
import { flowOf, runFlow } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'riflow-flow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pollLoop = flowOf(
  '  - Type: Task\n    Name: Describe\n    Action: X:Y\n    OutputConstructor:\n      status.$: $Output.Body.status\n    Next: Check\n  - Type: Choice\n    Name: Check\n    Branches:\n      - Condition: $Input.status == "Active"\n        Next: Done\n    Default: Backoff\n  - Type: Wait\n    Name: Backoff\n    Seconds: 60\n    Next: Describe\n  - Type: Succeed\n    Name: Done\n',
  'Timeout: 600\n',
);

/** A clock that runs 1000× faster than real time: not virtual, so the execution uses its timeout timer. */
function fastClock(): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * 1000,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms / 1000);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        }, { once: true });
      }),
  };
}

describe('flow Timeout', () => {
  it('times out on the virtual clock at the deadline, even mid-Wait', async () => {
    const { result, events } = await runFlow(pollLoop, {}, { Describe: () => ({ Body: { status: 'Connecting' } }) });
    expect(result).toMatchObject({ status: 'TimedOut', error: 'FnF.Timeout', cause: 'the execution ran past the flow Timeout of 600 s' });
    expect(Date.parse(result.stoppedAt) - Date.parse(result.startedAt)).toBe(600_000);
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'StateAborted', state: 'Backoff' }),
      expect.objectContaining({ type: 'ExecutionTimedOut', error: 'FnF.Timeout' }),
    ]);
    // Describe ran at 0, 60, …, 540 s: ten times.
    expect(result.counts.taskCalls).toBe(10);
  });

  it('interrupts a running task on a clock that moves by itself', async () => {
    const flow = flowOf('  - Type: Task\n    Name: Slow\n    Action: X:Y\n    End: true\n', 'Timeout: 30\n');
    let signal: AbortSignal | undefined;
    const { result } = await runFlow(flow, {}, {
      Slow: (request) => {
        signal = request.signal;
        return new Promise(() => undefined);
      },
    }, { clock: fastClock() as VirtualClock });
    expect(result.status).toBe('TimedOut');
    expect(signal?.aborted).toBe(true);
  });
});

describe('stop and abort', () => {
  it('stop() during a Wait cancels the wait and records where it stopped', async () => {
    const clock = new VirtualClock();
    const events: HistoryEvent[] = [];
    const handle = startExecution(pollLoop, {}, {
      name: 'stop-me',
      clock,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'StateStarted' && event.state === 'Backoff') setImmediate(() => handle.stop('operator said so'));
      },
      invokeTask: async () => ({ Body: { status: 'Connecting' } }),
    });
    const result = await handle.result;
    expect(result).toMatchObject({ name: 'stop-me', status: 'Stopped', cause: 'operator said so' });
    expect(clock.pending).toBe(0);
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'StateAborted', state: 'Backoff', reason: 'operator said so' }),
      expect.objectContaining({ type: 'ExecutionStopped', reason: 'operator said so' }),
    ]);
  });

  it('the caller\'s AbortSignal stops a running task and the task sees its signal abort', async () => {
    const controller = new AbortController();
    let taskSignal: AbortSignal | undefined;
    const handle = startExecution(pollLoop, {}, {
      clock: new VirtualClock(),
      signal: controller.signal,
      invokeTask: (request) => {
        taskSignal = request.signal;
        setImmediate(() => controller.abort(new Error('shutting down')));
        return new Promise(() => undefined);
      },
    });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'Stopped', cause: 'shutting down' });
    expect(taskSignal?.aborted).toBe(true);
  });

  it('an already aborted signal stops before the first state', async () => {
    const { result } = await runFlow(pollLoop, {}, {}, { signal: AbortSignal.abort(new Error('no')) });
    expect(result).toMatchObject({ status: 'Stopped', counts: { stateTransitions: 0 } });
  });
});

describe('names, listeners and counts', () => {
  it('refuses execution names that are not safe file names', () => {
    expect(() => startExecution(pollLoop, {}, { name: '../etc/passwd', invokeTask: async () => ({}) })).toThrow(/invalid execution name/);
  });

  it('generates a name, repeatable with an injected random source and clock', () => {
    const make = () => startExecution(pollLoop, {}, { clock: new VirtualClock(), random: () => 0.25, invokeTask: async () => ({ Body: { status: 'Active' } }) });
    const first = make();
    expect(first.name).toBe('exec-20260101000000-40000000');
    expect(make().name).toBe(first.name);
  });

  it('a throwing onEvent listener does not change the run', async () => {
    const handle = startExecution(pollLoop, {}, {
      clock: new VirtualClock(),
      onEvent: () => {
        throw new Error('listener bug');
      },
      invokeTask: async () => ({ Body: { status: 'Active' } }),
    });
    expect((await handle.result).status).toBe('Succeeded');
  });

  it('counts state transitions as billed: states entered plus retries', async () => {
    let n = 0;
    const { result } = await runFlow(pollLoop, {}, { Describe: () => ({ Body: { status: ++n >= 3 ? 'Active' : 'Connecting' } }) });
    // Describe, Check, Backoff ×2, then Describe, Check, Done.
    expect(result.counts).toEqual({ stateTransitions: 9, taskCalls: 3, retries: 0 });
  });
});

describe('history file', () => {
  it('appends NDJSON to <historyDir>/<name>.ndjson that readHistory reads back', async () => {
    const historyDir = join(dir, 'executions');
    const streamed: HistoryEvent[] = [];
    const handle = startExecution(pollLoop, { id: 1 }, {
      name: 'hist-1',
      clock: new VirtualClock(),
      historyDir,
      onEvent: (event) => streamed.push(event),
      invokeTask: async () => ({ Body: { status: 'Active' } }),
    });
    const result = await handle.result;
    expect(result.historyPath).toBe(join(historyDir, 'hist-1.ndjson'));
    const events = await readHistory(result.historyPath as string);
    expect(events).toEqual(streamed);
    expect(events[0]).toMatchObject({ v: 1, seq: 1, type: 'ExecutionStarted', flow: 'test', input: { id: 1 } });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', output: { status: 'Active' } });
    expect(readFileSync(result.historyPath as string, 'utf8').trimEnd().split('\n')).toHaveLength(events.length);
  });

  it('readHistory reports a corrupt line with its number', async () => {
    const path = join(dir, 'corrupt.ndjson');
    writeFileSync(path, '{"v":1,"seq":1,"time":"t","type":"ExecutionStarted"}\n\n{"v":1,"seq":2,\n');
    await expect(readHistory(path)).rejects.toThrow(HistoryReadError);
    await expect(readHistory(path)).rejects.toMatchObject({ line: 3, message: expect.stringMatching(/corrupt.ndjson:3: not valid JSON/) });
    writeFileSync(path, '{"v":2,"seq":1,"time":"t","type":"X"}\n');
    await expect(readHistory(path)).rejects.toMatchObject({ line: 1, message: expect.stringMatching(/unsupported version 2/) });
  });
});
