/**
 * The distributed Map as the distributed-mode page defines it: its fields checked when the flow loads, each item (or
 * batch) a sub-workflow execution with its own history and limits, MaxConcurrency, MaxItems, ItemConstructor with
 * $Item, ItemBatcher, the tolerated failures, the output shape, and stopping. Sub-executions are started through the
 * injected host, so the host sees every one of them and their own events.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { CloudFlowHistory } from '../../src/flow/cloudflow-history';
import { startExecution, type SubExecutionHost } from '../../src/flow/execution';
import type { HistoryEvent } from '../../src/flow/history';
import { loadFlow } from '../../src/flow/loader';
import type { MapState } from '../../src/flow/model';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import type { SubExecutionRequest } from '../../src/flow/runtime';
import { FlowValidationError } from '../../src/flow/errors';
import { childName } from '../../src/flow/states/map-run';
import { flowOf, runFlow, taskError, type TaskTable } from './helpers';

const header = 'Type: StateMachine\nSpecVersion: v1\nName: fleet\nStartAt: D\nStates:\n';

/** A distributed Map `D` over $Input.items whose processor is one Task `Work` (or `processor` states). */
function distributed(fields: string, processor = '        - Type: Task\n          Name: Work\n          Action: FC:InvokeFunction\n          End: true\n'): string {
  return `${header}  - Type: Map\n    Name: D\n    ItemsPath: $Input.items\n    ProcessorConfig:\n      ExecutionMode: Standard\n${fields}    Processor:\n      StartAt: ${/Name: (\S+)/.exec(processor)?.[1]}\n      States:\n${processor}    End: true\n`;
}

function problemsOf(text: string) {
  try {
    loadFlow(text);
  } catch (error) {
    if (error instanceof FlowValidationError) return error.problems;
    throw error;
  }
  return [];
}

/** A host that records each request and each sub-execution's own events, and starts it here. */
function recordingHost() {
  const requests: SubExecutionRequest[] = [];
  const events = new Map<string, HistoryEvent[]>();
  let running = 0;
  let mostAtOnce = 0;
  const host: SubExecutionHost = (request, start) => {
    requests.push(request);
    const own: HistoryEvent[] = [];
    events.set(request.name, own);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    const handle = start({ onEvent: (event) => own.push(event) });
    void handle.result.then(() => (running -= 1));
    return handle;
  };
  return { host, requests, events, mostAtOnce: () => mostAtOnce };
}

const echo: TaskTable = { Work: (request) => ({ Body: request.parameters }) };

describe('loading a distributed Map', () => {
  it('a ProcessorConfig makes the Map distributed; MaxConcurrency defaults to the distributed maximum, 100', () => {
    const state = loadFlow(distributed('')).scope.states.get('D') as MapState;
    expect(state.distributed).toEqual({ executionMode: 'Standard' });
    expect(state.maxConcurrency).toBe(100);
    const inline = loadFlow(distributed('').replace('    ProcessorConfig:\n      ExecutionMode: Standard\n', '')).scope.states.get('D') as MapState;
    expect(inline.distributed).toBeUndefined();
    expect(inline.maxConcurrency).toBe(40);
  });

  it('reads every documented field, with no warning', () => {
    const text = distributed(
      [
        '    MaxConcurrency: 100',
        '    MaxItems: 10000',
        '    ToleratedFailureCount: 3',
        '    ToleratedFailurePercentage: 2.5',
        '    ItemConstructor:',
        '      id.$: $Item',
        '      region.$: $Input.regionId',
        '    ItemBatcher:',
        '      MaxItemsPerBatch: 50',
        '      MaxInputBytesPerBatch: 65536',
        '      BatchInput:',
        '        spec.$: $Input.spec',
        '',
      ].join('\n'),
    );
    const flow = loadFlow(text);
    expect(flow.warnings).toEqual([]);
    expect((flow.scope.states.get('D') as MapState).distributed).toMatchObject({
      maxItems: 10000,
      toleratedFailureCount: 3,
      toleratedFailurePercentage: 2.5,
      itemBatcher: { maxItemsPerBatch: 50, maxInputBytesPerBatch: 65536 },
    });
  });

  it.each([
    ['MaxConcurrency 101', '    MaxConcurrency: 101\n', 'MaxConcurrency', /got 101: CloudFlow's largest distributed Map MaxConcurrency \(sub-workflow executions at once\) is 100 \(https:\/\/www\.alibabacloud\.com\/help\/zh\/serverless-workflow\/latest\/limits\)$/],
    ['MaxItems 10001', '    MaxItems: 10001\n', 'MaxItems', /largest number of items of one distributed Map run \(MaxItems\) is 10,000/],
    ['ToleratedFailurePercentage 101', '    ToleratedFailurePercentage: 101\n', 'ToleratedFailurePercentage', /must be between 0 and 100, got 101/],
    ['ToleratedFailureCount -1', '    ToleratedFailureCount: -1\n', 'ToleratedFailureCount', /must be between 0/],
    ['ItemReader', '    ItemReader:\n      SourceType: OSS_OBJECTS\n', 'ItemReader', /^is not supported locally: it reads the items from OSS, which the local twin does not have; give the items with ItemsPath instead$/],
    ['ResultWriter', '    ResultWriter:\n      Parameters: {}\n', 'ResultWriter', /^is not supported locally: it writes the sub-executions' results to OSS/],
    ['an empty ItemBatcher', '    ItemBatcher: {}\n', 'MaxItemsPerBatch', /or MaxInputBytesPerBatch is required/],
    ['MaxInputBytesPerBatch above 64 KiB', '    ItemBatcher:\n      MaxInputBytesPerBatch: 65537\n', 'MaxInputBytesPerBatch', /largest state input or output \(bytes of JSON\) is 65,536/],
    ['$Item outside ItemConstructor', '    ItemBatcher:\n      MaxItemsPerBatch: 2\n      BatchInput:\n        x.$: $Item\n', 'BatchInput.x.$', /\$Item can only be used in a distributed Map's ItemConstructor/],
  ])('refuses %s, naming the field and the rule', (_name, fields, field, message) => {
    expect(problemsOf(distributed(fields))).toEqual([expect.objectContaining({ state: 'D', field, message: expect.stringMatching(message) })]);
  });

  it('refuses an unknown ExecutionMode and $Item in any other state', () => {
    expect(problemsOf(distributed('').replace('ExecutionMode: Standard', 'ExecutionMode: Distributed'))).toEqual([
      expect.objectContaining({ field: 'ExecutionMode', message: 'must be Standard or Express, got "Distributed"' }),
    ]);
    const pass = `${header}  - Type: Pass\n    Name: D\n    InputConstructor:\n      x.$: $Item\n    End: true\n`;
    expect(problemsOf(pass)).toEqual([expect.objectContaining({ field: 'InputConstructor.x.$', message: "$Item can only be used in a distributed Map's ItemConstructor" })]);
  });

  it('an Express processor may not wait more than 20 s nor use callback tasks', () => {
    const processor = [
      '        - Type: Wait',
      '          Name: Pause',
      '          Seconds: 30',
      '          Next: Work',
      '        - Type: Task',
      '          Name: Work',
      '          Action: FC:InvokeFunction',
      '          TaskMode: WaitForCustomCallback',
      '          End: true',
      '',
    ].join('\n');
    const text = distributed('', processor).replace('ExecutionMode: Standard', 'ExecutionMode: Express');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ state: 'Pause', field: 'Seconds', message: expect.stringMatching(/is 30 in an Express sub-workflow .*CloudFlow's longest Wait in Express mode \(seconds\) is 20/) }),
      expect.objectContaining({ state: 'Work', field: 'TaskMode', message: expect.stringMatching(/Express executions run RequestComplete tasks only/) }),
    ]);
    expect(problemsOf(distributed('', processor))).toEqual([]);
  });

  it('warns about a field the distributed-mode page does not list, naming that page', () => {
    const { warnings } = loadFlow(distributed('    Label: nightly\n'));
    expect(warnings).toEqual([
      expect.objectContaining({ field: 'Label', message: expect.stringMatching(/^is not a documented field of a distributed Map state \(https:\/\/www\.alibabacloud\.com\/help\/en\/serverless-workflow\/latest\/distributed-mode lists/) }),
    ]);
  });
});

describe('running a distributed Map', () => {
  it('runs each item as a sub-workflow execution of its own; the parent records none of their events', async () => {
    const { host, requests, events: childEvents } = recordingHost();
    const { result, events } = await runFlow(loadFlow(distributed('')), { items: [{ n: 1 }, { n: 2 }, { n: 3 }] }, echo, { subExecutions: host });
    const history = new CloudFlowHistory(CLOUDFLOW_POLICY);
    events.forEach((event) => history.add(event));
    expect(result).toMatchObject({ status: 'Succeeded', output: { Items: [{ Body: { } }, { Body: {} }, { Body: {} }] } });
    expect(requests.map((request) => [request.name, request.input, request.flow.name, request.mode])).toEqual([0, 1, 2].map((i) => [childName('test-run', requests[0]?.parent.mapRunName ?? '', i), { n: i + 1 }, 'fleet', 'Standard']));
    expect(requests[0]?.parent).toEqual({ execution: 'test-run', flow: 'fleet', state: 'D', mapRunName: expect.stringMatching(/^[0-9a-f]{32}$/), index: 0, items: 1 });
    // The parent: the Map's own step events and MapRunStarted, nothing of the Work tasks.
    expect(history.events.map((event) => event.Type)).toEqual(['ExecutionStarted', 'StepEntered', 'StepStarted', 'MapRunStarted', 'StepSucceeded', 'StepExited', 'ExecutionSucceeded']);
    expect(JSON.parse(history.events[3]?.EventDetail ?? '{}')).toMatchObject({ mapRunName: requests[0]?.parent.mapRunName, items: 3, executions: 3 });
    expect(events.some((event) => event.state === 'Work')).toBe(false);
    expect(result.counts.taskCalls).toBe(0);
    // Each child: its own history, opened by an ExecutionStarted that names the parent.
    const first = childEvents.get(requests[0]?.name ?? '') ?? [];
    expect(first[0]).toMatchObject({ type: 'ExecutionStarted', flow: 'fleet', input: { n: 1 }, parent: { execution: 'test-run', state: 'D', index: 0 } });
    expect(first.map((event) => event.type)).toContain('TaskSucceeded');
    expect(events.find((event) => event.type === 'MapRunEnded')).toMatchObject({ status: 'Succeeded', executions: { total: 3, succeeded: 3, failed: 0, aborted: 0 } });
  });

  it('gives each sub-execution its own 5,000 events: a run an inline Map could not hold succeeds', async () => {
    // Each item loops 800 times through a Pass and a Choice: about 6,400 events, over the limit for one execution.
    const processor = [
      '        - Type: Pass',
      '          Name: Count',
      '          OutputConstructor:',
      '            n.$: intAdd($Input.n, 1)',
      '          Next: More',
      '        - Type: Choice',
      '          Name: More',
      '          Branches:',
      '            - Condition: $Input.n < 600',
      '              Next: Count',
      '          Default: Done',
      '        - Type: Succeed',
      '          Name: Done',
      '',
    ].join('\n');
    const input = { items: [{ n: 0 }, { n: 0 }] };
    const { host } = recordingHost();
    const run = await runFlow(loadFlow(distributed('', processor)), input, {}, { subExecutions: host });
    expect(run.result).toMatchObject({ status: 'Succeeded', output: { Items: [{ n: 600 }, { n: 600 }] } });
    expect(run.result.historyEvents).toBe(7);
    const inline = await runFlow(loadFlow(distributed('', processor).replace('    ProcessorConfig:\n      ExecutionMode: Standard\n', '')), input);
    expect(inline.result).toMatchObject({ status: 'Failed', error: 'FnF.HistoryLimitExceeded' });
  });

  it('runs at most MaxConcurrency sub-executions at once', async () => {
    const { host, mostAtOnce } = recordingHost();
    const slow: TaskTable = { Work: () => new Promise((resolve) => setTimeout(() => resolve({ Body: 1 }), 5)) };
    const items = Array.from({ length: 12 }, (_, n) => ({ n }));
    const { result } = await runFlow(loadFlow(distributed('    MaxConcurrency: 3\n')), { items }, slow, { subExecutions: host });
    expect(result.status).toBe('Succeeded');
    expect(mostAtOnce()).toBe(3);
  });

  it('builds each item with ItemConstructor ($Item and the Map input) and processes only the first MaxItems', async () => {
    const { host, requests } = recordingHost();
    const text = distributed('    MaxItems: 2\n    ItemConstructor:\n      id.$: $Item\n      spec.$: $Input.spec\n');
    const { result } = await runFlow(loadFlow(text), { items: ['ri-a', 'ri-b', 'ri-c'], spec: 'Small.1' }, echo, { subExecutions: host });
    expect(result.status).toBe('Succeeded');
    expect(requests.map((request) => request.input)).toEqual([
      { id: 'ri-a', spec: 'Small.1' },
      { id: 'ri-b', spec: 'Small.1' },
    ]);
  });

  it('batches items with ItemBatcher: MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput', async () => {
    const { host, requests } = recordingHost();
    const items = ['a', 'b', 'c', 'd', 'e'];
    await runFlow(loadFlow(distributed('    ItemBatcher:\n      MaxItemsPerBatch: 2\n      BatchInput:\n        spec.$: $Input.spec\n')), { items, spec: 'S' }, echo, { subExecutions: host });
    expect(requests.map((request) => [request.input, request.parent.items])).toEqual([
      [{ Items: ['a', 'b'], BatchInput: { spec: 'S' } }, 2],
      [{ Items: ['c', 'd'], BatchInput: { spec: 'S' } }, 2],
      [{ Items: ['e'], BatchInput: { spec: 'S' } }, 1],
    ]);
    // {"Items":["a","b"]} is 19 bytes, one more item 23: a bound of 20 bytes makes batches of two.
    const bytes = recordingHost();
    const byBytes = await runFlow(loadFlow(distributed('    ItemBatcher:\n      MaxInputBytesPerBatch: 20\n')), { items }, echo, { subExecutions: bytes.host });
    expect(byBytes.result).toMatchObject({ status: "Succeeded" });
    expect(bytes.requests.map((request) => request.input)).toEqual([{ Items: ['a', 'b'] }, { Items: ['c', 'd'] }, { Items: ['e'] }]);
    const tooBig = await runFlow(loadFlow(distributed('    ItemBatcher:\n      MaxInputBytesPerBatch: 12\n')), { items: ['abcdef'] }, echo);
    expect(tooBig.result).toMatchObject({ status: 'Failed', error: 'FnF.DataSizeExceeded', cause: 'D: item 0 makes a batch of 20 bytes on its own, above MaxInputBytesPerBatch (12)' });
  });

  it('refuses more than 10,000 items, and an item that is not an object without ItemConstructor or ItemBatcher', async () => {
    const many = await runFlow(loadFlow(distributed('')), { items: Array.from({ length: 10_001 }, () => ({})) }, echo);
    expect(many.result).toMatchObject({ status: 'Failed', error: 'FnF.QuotaExceeded', cause: expect.stringMatching(/gives 10001 items: CloudFlow's largest number of items of one distributed Map run \(MaxItems\) is 10,000/) });
    const limited = await runFlow(loadFlow(distributed('    MaxItems: 3\n')), { items: Array.from({ length: 10_001 }, () => ({})) }, echo);
    expect(limited.result).toMatchObject({ status: 'Succeeded', output: { Items: [{ Body: {} }, { Body: {} }, { Body: {} }] } });
    const strings = await runFlow(loadFlow(distributed('')), { items: ['ri-a'] }, echo);
    expect(strings.result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput', cause: "D: item 0 (a sub-execution's input) must be a JSON object, got string" });
  });

  describe('failures', () => {
    const failing: TaskTable = {
      Work: (request) => {
        if (request.parameters.fail) throw taskError('Boom', `item ${String(request.parameters.n)} failed`);
        return { Body: request.parameters.n };
      },
    };
    const processor = '        - Type: Task\n          Name: Work\n          Action: FC:InvokeFunction\n          Parameters:\n            n.$: $Input.n\n            fail.$: $Input.fail\n          End: true\n';
    const items = [{ n: 0 }, { n: 1, fail: true }, { n: 2 }, { n: 3, fail: true }];

    it('without a tolerance, the first failed sub-execution fails the Map and stops the rest', async () => {
      const { result, events } = await runFlow(loadFlow(distributed('    MaxConcurrency: 1\n', processor)), { items }, failing);
      expect(result).toMatchObject({
        status: 'Failed',
        error: 'FnF.ExceedToleratedFailureThreshold',
        cause: expect.stringMatching(/^D: 1 of 4 items failed, more than no ToleratedFailureCount or ToleratedFailurePercentage allow; test-run-[0-9a-f]{8}-1 ended Failed with Boom: item 1 failed$/),
      });
      expect(events.find((event) => event.type === 'MapRunEnded')).toMatchObject({ status: 'Failed', executions: { total: 4, succeeded: 1, failed: 1, aborted: 2 } });
    });

    it('ToleratedFailureCount and ToleratedFailurePercentage let failures through into Items; a Catch sees the excess', async () => {
      const tolerated = await runFlow(loadFlow(distributed('    ToleratedFailureCount: 2\n', processor)), { items }, failing);
      expect(tolerated.result).toMatchObject({ status: 'Succeeded' });
      expect(tolerated.result.output?.Items).toEqual([{ Body: 0 }, { Error: { Code: 'Boom', Detail: 'item 1 failed' } }, { Body: 2 }, { Error: { Code: 'Boom', Detail: 'item 3 failed' } }]);
      const half = await runFlow(loadFlow(distributed('    ToleratedFailurePercentage: 50\n', processor)), { items }, failing);
      expect(half.result.status).toBe('Succeeded');
      const quarter = await runFlow(loadFlow(distributed('    ToleratedFailurePercentage: 25\n    MaxConcurrency: 1\n', processor)), { items }, failing);
      expect(quarter.result).toMatchObject({ status: 'Failed', error: 'FnF.ExceedToleratedFailureThreshold', cause: expect.stringMatching(/^D: 2 of 4 items failed, more than ToleratedFailurePercentage 25 allow/) });
      const caught = distributed('', processor).replace(
        / {4}End: true\n$/,
        '    Catch:\n      - Description: the run failed\n        Errors: [FnF.ExceedToleratedFailureThreshold]\n        Next: Report\n    End: true\n  - Type: Pass\n    Name: Report\n    End: true\n',
      );
      expect((await runFlow(loadFlow(caught), { items }, failing)).result.status).toBe('Succeeded');
    });

    it('counts failed items, so a failed batch counts every item in it (policy countFailures)', async () => {
      const batched = distributed('    ItemBatcher:\n      MaxItemsPerBatch: 2\n    ToleratedFailureCount: 1\n', '        - Type: Task\n          Name: Work\n          Action: FC:InvokeFunction\n          End: true\n');
      const failBatch: TaskTable = { Work: () => Promise.reject(taskError('Boom')) };
      const byItems = await runFlow(loadFlow(batched), { items: [1, 2, 3, 4] }, failBatch);
      expect(byItems.result).toMatchObject({ status: 'Failed', cause: expect.stringMatching(/^D: 2 of 4 items failed/) });
      const policy = { ...CLOUDFLOW_POLICY, distributedMap: { ...CLOUDFLOW_POLICY.distributedMap, countFailures: 'executions' as const } };
      const byExecutions = await runFlow(loadFlow(batched), { items: [1, 2, 3, 4] }, failBatch, { policy });
      expect(byExecutions.result).toMatchObject({ status: 'Failed', cause: expect.stringMatching(/^D: 2 of 2 sub-executions failed/) });
    });
  });

  it('stopping the parent stops every running sub-execution', async () => {
    const clock = new VirtualClock();
    const { host, requests } = recordingHost();
    const processor = '        - Type: Wait\n          Name: Pause\n          Seconds: 300\n          End: true\n';
    const handle = startExecution(loadFlow(distributed('', processor)), { items: [{}, {}] }, { name: 'stopped-run', clock, invokeTask: async () => ({}), subExecutions: host });
    for (let turn = 0; turn < 1000 && requests.length < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(requests).toHaveLength(2);
    handle.stop('enough');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'Stopped', cause: 'enough' });
  });

  it('an Express sub-execution has Express limits: Seconds.$ above 20 fails it, and it times out after 5 minutes', async () => {
    const express = (processor: string) => loadFlow(distributed('    ToleratedFailureCount: 5\n', processor).replace('ExecutionMode: Standard', 'ExecutionMode: Express'));
    const wait = '        - Type: Wait\n          Name: Pause\n          Seconds.$: $Input.s\n          End: true\n';
    const { result } = await runFlow(express(wait), { items: [{ s: 20 }, { s: 21 }] });
    expect(result.output?.Items).toEqual([{ s: 20 }, { Error: { Code: 'FnF.InvalidInput', Detail: expect.stringMatching(/gave 21; it must be a whole number of seconds from 1 to 20: CloudFlow's longest Wait in Express mode/) } }]);
    const loop = '        - Type: Wait\n          Name: Pause\n          Seconds: 20\n          Next: Again\n        - Type: Pass\n          Name: Again\n          Next: Pause\n';
    const timedOut = await runFlow(express(loop), { items: [{}] });
    expect(timedOut.result.output?.Items).toEqual([{ Error: { Code: 'FnF.Timeout', Detail: expect.stringMatching(/^the Express execution ran past 300 s: CloudFlow's longest Express-mode execution/) } }]);
  });

  it('names sub-executions after the parent, shortened to stay within 128 characters, and starts each map run anew', () => {
    const run = 'c39142f1345b196d678333c41f113200';
    expect(childName('nightly', run, 7)).toBe('nightly-c39142f1-7');
    const long = childName('x'.repeat(128), run, 9999);
    expect(long).toHaveLength(128);
    expect(long.endsWith('-c39142f1-9999')).toBe(true);
  });

  it('refuses an 11th distributed Map run open at once in one execution (MaxOpenMapRun)', async () => {
    const branches = Array.from(
      { length: 11 },
      (_, i) =>
        `      - StartAt: D${i}\n        States:\n          - Type: Map\n            Name: D${i}\n            ItemsPath: $Input.items\n            ProcessorConfig:\n              ExecutionMode: Standard\n            Processor:\n              StartAt: W\n              States:\n                - Type: Wait\n                  Name: W\n                  Seconds: 10\n                  End: true\n            End: true\n`,
    ).join('');
    const flow = flowOf(`  - Type: Parallel\n    Name: All\n    Branches:\n${branches}    End: true\n`);
    const { result } = await runFlow(flow, { items: [{}] });
    expect(result).toMatchObject({ status: 'Failed', error: 'FnF.QuotaExceeded', cause: expect.stringMatching(/: 10 map runs are open already: CloudFlow's largest number of distributed Map runs open at once in one execution \(MaxOpenMapRun\) is 10/) });
  });
});
