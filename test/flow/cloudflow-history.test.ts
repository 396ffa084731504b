/** The interpreter's events → CloudFlow's documented GetExecutionHistory events, and the 5,000-event limit. */
import { describe, expect, it } from 'vitest';
import { CLOUDFLOW_EVENT_TYPES, CloudFlowHistory, documentedEventTypes, type CloudFlowHistoryEvent } from '../../src/flow/cloudflow-history';
import type { HistoryEventBody, HistoryEventType } from '../../src/flow/history';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../src/flow/policy';
import type { Flow } from '../../src/flow/model';
import { flowOf, runFlow, taskError, type TaskTable } from './helpers';

/** One sample of every interpreter event type: the Record makes a new type a compile error here until it is mapped. */
const SAMPLES: Record<HistoryEventType, HistoryEventBody> = {
  ExecutionStarted: { type: 'ExecutionStarted', flow: 'f', input: {} },
  StateEntered: { type: 'StateEntered', state: 'S', stateType: 'Task', input: {} },
  StateStarted: { type: 'StateStarted', state: 'S', stateType: 'Task', input: {} },
  TaskScheduled: { type: 'TaskScheduled', state: 'S', action: 'FC:InvokeFunction', parameters: {}, retryCount: 0 },
  TaskSucceeded: { type: 'TaskSucceeded', state: 'S', output: {}, retryCount: 0 },
  TaskFailed: { type: 'TaskFailed', state: 'S', error: 'E', cause: 'c', retryCount: 0 },
  StateRetrying: { type: 'StateRetrying', state: 'S', attempt: 1, error: 'E', cause: 'c', waitSeconds: 1, rule: 0 },
  StateSucceeded: { type: 'StateSucceeded', state: 'S', output: {} },
  StateFailed: { type: 'StateFailed', state: 'S', error: 'E', cause: 'c' },
  StateAborted: { type: 'StateAborted', state: 'S', reason: 'stopped' },
  IterationEntered: { type: 'IterationEntered', state: 'M', index: 0, childScope: 'M.Items[0]', input: {} },
  IterationExited: { type: 'IterationExited', state: 'M', index: 0, childScope: 'M.Items[0]', output: {} },
  BranchEntered: { type: 'BranchEntered', state: 'P', index: 0, childScope: 'P.Branch0', input: {} },
  BranchExited: { type: 'BranchExited', state: 'P', index: 0, childScope: 'P.Branch0', output: {} },
  MapRunStarted: { type: 'MapRunStarted', state: 'D', mapRunName: 'c39142f1345b196d678333c41f113200', items: 2, executions: 2, maxConcurrency: 100 },
  MapRunEnded: {
    type: 'MapRunEnded',
    state: 'D',
    mapRunName: 'c39142f1345b196d678333c41f113200',
    status: 'Succeeded',
    executions: { total: 2, succeeded: 2, failed: 0, aborted: 0 },
    items: { total: 2, succeeded: 2, failed: 0, aborted: 0 },
  },
  ExecutionSucceeded: { type: 'ExecutionSucceeded', output: {} },
  ExecutionFailed: { type: 'ExecutionFailed', error: 'E', cause: 'c' },
  ExecutionStopped: { type: 'ExecutionStopped', reason: 'stopped' },
  ExecutionTimedOut: { type: 'ExecutionTimedOut', error: 'FnF.Timeout', cause: 'c' },
};

const withHistory = (history: Partial<CloudFlowPolicy['history']>): CloudFlowPolicy => ({
  ...CLOUDFLOW_POLICY,
  history: { ...CLOUDFLOW_POLICY.history, ...history },
});

/** Runs a flow and renders its history as the emulator's GetExecutionHistory does. */
async function cloudHistory(flow: Flow, input: object, tasks: TaskTable = {}, policy = CLOUDFLOW_POLICY) {
  const history = new CloudFlowHistory(policy);
  const run = await runFlow(flow, input, tasks, { policy, onEvent: (event) => history.add(event) });
  return { ...run, cloud: history.events };
}

const typesOf = (events: CloudFlowHistoryEvent[]) => events.map((event) => (event.StepName ? `${event.Type} ${event.StepName}` : event.Type));

describe('documentedEventTypes', () => {
  it('maps every interpreter event type to documented types only', () => {
    const mapped = Object.fromEntries(Object.entries(SAMPLES).map(([type, event]) => [type, documentedEventTypes(event, CLOUDFLOW_POLICY)]));
    expect(mapped).toEqual({
      ExecutionStarted: ['ExecutionStarted'],
      StateEntered: ['StepEntered'],
      StateStarted: ['StepStarted'],
      TaskScheduled: ['TaskScheduled', 'TaskStarted'],
      TaskSucceeded: ['TaskSucceeded'],
      TaskFailed: ['TaskFailed'],
      StateRetrying: [],
      StateSucceeded: ['StepSucceeded', 'StepExited'],
      StateFailed: ['StepFailed', 'StepExited'],
      StateAborted: ['StepExited'],
      IterationEntered: ['IterationEntered'],
      IterationExited: ['IterationExited'],
      BranchEntered: ['BranchEntered'],
      BranchExited: ['BranchExited'],
      MapRunStarted: ['MapRunStarted'],
      MapRunEnded: [],
      ExecutionSucceeded: ['ExecutionSucceeded'],
      ExecutionFailed: ['ExecutionFailed'],
      ExecutionStopped: ['ExecutionStopped'],
      ExecutionTimedOut: ['ExecutionTimedOut'],
    });
    const documented = new Set<string>(CLOUDFLOW_EVENT_TYPES);
    expect(Object.values(mapped).flat().filter((type) => !documented.has(type))).toEqual([]);
    expect(CLOUDFLOW_EVENT_TYPES).not.toContain('StepRetrying');
  });

  it('names a Task Timeout TaskTimedOut, and a retried attempt records no second StepStarted', () => {
    expect(documentedEventTypes({ ...SAMPLES.TaskFailed, error: CLOUDFLOW_POLICY.errorNames.taskTimeout } as HistoryEventBody, CLOUDFLOW_POLICY)).toEqual(['TaskTimedOut']);
    const retried = { ...SAMPLES.StateStarted, retryCount: 1 } as HistoryEventBody;
    expect(documentedEventTypes(retried, CLOUDFLOW_POLICY)).toEqual([]);
    expect(documentedEventTypes(retried, withHistory({ retry: 'step-restarted' }))).toEqual(['StepStarted']);
  });

  it('follows each switch of the history policy', () => {
    expect(documentedEventTypes(SAMPLES.TaskScheduled, withHistory({ taskStarted: false }))).toEqual(['TaskScheduled']);
    expect(documentedEventTypes({ ...SAMPLES.StateStarted, stateType: 'Choice' } as HistoryEventBody, withHistory({ stepStartedOmittedFor: ['Choice'] }))).toEqual([]);
    const noExitAfterFailure = withHistory({ exitedAfterFailure: false });
    expect(documentedEventTypes(SAMPLES.StateFailed, noExitAfterFailure)).toEqual(['StepFailed']);
    expect(documentedEventTypes(SAMPLES.StateAborted, noExitAfterFailure)).toEqual([]);
    expect(documentedEventTypes({ type: 'IterationExited', state: 'M', index: 0, childScope: 'M.Items[0]' }, noExitAfterFailure)).toEqual([]);
    expect(documentedEventTypes(SAMPLES.IterationExited, noExitAfterFailure)).toEqual(['IterationExited']);
  });
});

describe('CloudFlowHistory over real runs', () => {
  const retried = flowOf(
    '  - Type: Task\n    Name: Modify\n    Action: X:Y\n    Retry:\n      - Errors: [Busy]\n        IntervalSeconds: 2\n        MaxAttempts: 3\n    Next: Done\n  - Type: Pass\n    Name: Done\n    End: true\n',
  );

  it('a retry is a TaskFailed followed by a new TaskScheduled, in one StepStarted; ids chain', async () => {
    let calls = 0;
    const { result, cloud } = await cloudHistory(retried, { a: 1 }, {
      Modify: () => {
        calls += 1;
        if (calls === 1) throw taskError('Busy');
        return { Body: { ok: true } };
      },
    });
    expect(result.status).toBe('Succeeded');
    expect(typesOf(cloud)).toEqual([
      'ExecutionStarted',
      'StepEntered Modify', 'StepStarted Modify',
      'TaskScheduled Modify', 'TaskStarted Modify', 'TaskFailed Modify',
      'TaskScheduled Modify', 'TaskStarted Modify', 'TaskSucceeded Modify',
      'StepSucceeded Modify', 'StepExited Modify',
      'StepEntered Done', 'StepStarted Done', 'StepSucceeded Done', 'StepExited Done',
      'ExecutionSucceeded',
    ]);
    // As in the documented example: ids from 1, each event scheduled by the one before it, "" for execution events.
    expect(cloud.map((event) => event.EventId)).toEqual(cloud.map((_event, index) => index + 1));
    expect(cloud.map((event) => event.ScheduleEventId)).toEqual(cloud.map((_event, index) => index));
    expect(cloud[0]).toMatchObject({ StepName: '', Type: 'ExecutionStarted' });
    expect(JSON.parse(cloud[0]?.EventDetail ?? '')).toEqual({ flow: 'test', input: { a: 1 } });
    expect(JSON.parse(cloud[1]?.EventDetail ?? '')).toEqual({ stateType: 'Task', input: { a: 1 } });
    expect(JSON.parse(cloud[5]?.EventDetail ?? '')).toEqual({ error: 'Busy', cause: 'Busy happened', retryCount: 0 });
    expect(JSON.parse(cloud[9]?.EventDetail ?? '')).toMatchObject({ output: { Body: { ok: true } }, next: 'Done' });
    expect(cloud[0]?.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(result.historyEvents).toBe(cloud.length);
  });

  it('each Map item is framed by IterationEntered/Exited, scheduled within its own scope', async () => {
    const flow = flowOf(
      '  - Type: Map\n    Name: Each\n    ItemsPath: $Input.items\n    MaxConcurrency: 1\n    Processor:\n      StartAt: Touch\n      States:\n        - Type: Pass\n          Name: Touch\n          End: true\n    End: true\n',
    );
    const { result, cloud } = await cloudHistory(flow, { items: [{ n: 1 }, { n: 2 }] });
    expect(result.status).toBe('Succeeded');
    expect(typesOf(cloud)).toEqual([
      'ExecutionStarted',
      'StepEntered Each', 'StepStarted Each',
      'IterationEntered Each', 'StepEntered Touch', 'StepStarted Touch', 'StepSucceeded Touch', 'StepExited Touch', 'IterationExited Each',
      'IterationEntered Each', 'StepEntered Touch', 'StepStarted Touch', 'StepSucceeded Touch', 'StepExited Touch', 'IterationExited Each',
      'StepSucceeded Each', 'StepExited Each',
      'ExecutionSucceeded',
    ]);
    const id = (index: number) => cloud[index] as CloudFlowHistoryEvent;
    // The first iteration starts from the Map's StepStarted; the second from the first one's IterationExited.
    expect(id(3).ScheduleEventId).toBe(id(2).EventId);
    expect(id(4).ScheduleEventId).toBe(id(3).EventId);
    expect(id(8).ScheduleEventId).toBe(id(7).EventId);
    expect(id(9).ScheduleEventId).toBe(id(8).EventId);
    expect(id(15).ScheduleEventId).toBe(id(14).EventId);
    expect(JSON.parse(id(3).EventDetail)).toEqual({ index: 0, childScope: 'Each.Items[0]', input: { n: 1 } });
    expect(JSON.parse(id(4).EventDetail)).toMatchObject({ scope: 'Each.Items[0]' });
    expect(result.historyEvents).toBe(cloud.length);
  });

  it('each Parallel branch is framed by BranchEntered/Exited; a failed branch and the stopped one exit too', async () => {
    const flow = flowOf(
      '  - Type: Parallel\n    Name: Both\n    Branches:\n' +
        '      - StartAt: Fails\n        States:\n          - Type: Fail\n            Name: Fails\n            Code: Broken\n' +
        '      - StartAt: Sleeps\n        States:\n          - Type: Wait\n            Name: Sleeps\n            Seconds: 60\n            End: true\n' +
        '    End: true\n',
    );
    const { result, cloud } = await cloudHistory(flow, {});
    expect(result).toMatchObject({ status: 'Failed', error: 'Broken' });
    const types = typesOf(cloud);
    expect(types.filter((type) => type.startsWith('Branch'))).toEqual(['BranchEntered Both', 'BranchEntered Both', 'BranchExited Both', 'BranchExited Both']);
    expect(types).toContain('StepFailed Fails');
    expect(types.slice(-4)).toEqual(['BranchExited Both', 'StepFailed Both', 'StepExited Both', 'ExecutionFailed']);
    // The stopped Wait records only its StepExited.
    expect(types.filter((type) => type.endsWith(' Sleeps'))).toEqual(['StepEntered Sleeps', 'StepStarted Sleeps', 'StepExited Sleeps']);
    // The branches interleave; each one's first event is scheduled by the Parallel's StepStarted, not by the other branch.
    const started = cloud.find((event) => event.Type === 'StepStarted' && event.StepName === 'Both');
    const entered = cloud.filter((event) => event.Type === 'BranchEntered');
    expect(entered[1]?.EventId).toBeGreaterThan(cloud.find((event) => event.StepName === 'Fails')?.EventId ?? 0);
    expect(entered.map((event) => event.ScheduleEventId)).toEqual([started?.EventId, started?.EventId]);
    expect(result.historyEvents).toBe(cloud.length);
  });

  it('counts the same whether anyone listens or not, and follows the policy', async () => {
    const tasks = { Modify: () => ({ Body: {} }) };
    const listened = await cloudHistory(retried, {}, tasks);
    const { result: silent } = await runFlow(retried, {}, tasks, { onEvent: undefined });
    expect(silent.historyEvents).toBe(listened.cloud.length);
    const fewer = await cloudHistory(retried, {}, tasks, withHistory({ taskStarted: false }));
    expect(fewer.result.historyEvents).toBe(listened.cloud.length - 1);
    expect(fewer.cloud).toHaveLength(fewer.result.historyEvents);
  });
});

describe('the 5,000-event limit', () => {
  const limit = CLOUDFLOW_LIMITS.historyEvents;

  it('is named with its documented page', () => {
    expect(limit).toEqual({ value: 5000, what: 'history events per execution', page: 'https://help.aliyun.com/en/document_detail/122093.html' });
  });

  it('fails a long loop, naming the limit, the count and the state; the history ends at 5,000', async () => {
    // 2,000 rounds of 8 events would make 16,000 (bounded, should the limit ever stop working).
    const loop = flowOf(
      '  - Type: Pass\n    Name: Again\n    OutputConstructor:\n      n.$: intAdd($Input.n, 1)\n    Next: Check\n' +
        '  - Type: Choice\n    Name: Check\n    Branches:\n      - Condition: $Input.n >= 2000\n        Next: Done\n    Default: Again\n  - Type: Succeed\n    Name: Done\n',
    );
    const { result, cloud } = await cloudHistory(loop, { n: 0 });
    expect(result.status).toBe('Failed');
    expect(result.error).toBe('FnF.HistoryLimitExceeded');
    expect(result.cause).toMatch(/^state "(Again|Check)" would record 2 more history events after 499\d: CloudFlow allows 5000 history events per execution \(https:\/\/help\.aliyun\.com\/en\/document_detail\/122093\.html\)$/);
    expect(cloud.length).toBeLessThanOrEqual(limit.value);
    expect(cloud.length).toBeGreaterThan(limit.value - 3);
    expect(cloud.at(-1)).toMatchObject({ Type: 'ExecutionFailed' });
    expect(JSON.parse(cloud.at(-1)?.EventDetail ?? '')).toMatchObject({ error: 'FnF.HistoryLimitExceeded' });
    expect(result.historyEvents).toBe(cloud.length);
  });

  it('counts inline Map iterations toward the execution, and no Catch can route around it', async () => {
    const flow = flowOf(
      '  - Type: Map\n    Name: Each\n    ItemsPath: $Input.items\n    MaxConcurrency: 40\n    Processor:\n      StartAt: Touch\n      States:\n        - Type: Pass\n          Name: Touch\n          End: true\n' +
        '    Catch:\n      - Errors: [FnF.ALL]\n        Next: Caught\n    End: true\n  - Type: Succeed\n    Name: Caught\n',
    );
    // Each item records 6 events (IterationEntered, 4 for the Pass, IterationExited): 832 items fit (4,998 events), 833 do not.
    const items = (n: number) => ({ items: Array.from({ length: n }, (_v, i) => ({ i })) });
    const fits = await cloudHistory(flow, items(832));
    expect(fits.result.status).toBe('Succeeded');
    expect(fits.result.historyEvents).toBe(1 + 2 + 832 * 6 + 2 + 1);
    const silent = await runFlow(flow, items(833), {}, { onEvent: undefined });
    expect(silent.result).toMatchObject({ status: 'Failed', error: 'FnF.HistoryLimitExceeded' });
    expect(silent.result.cause).toMatch(/\(in Each\.Items\[\d+\]\)|state "Each"/);
    expect(silent.result.historyEvents).toBeLessThanOrEqual(limit.value);
  });
});
