import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlowFile } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/model';
import { testState } from '../../src/flow/test-state';
import { flowOf } from './helpers';

let flow: Flow;
beforeAll(async () => {
  flow = await loadFlowFile(join(import.meta.dirname, 'fixtures', 'ri-connect.yaml'));
});
const input = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-1' };

describe('testState', () => {
  it('a Task with a result: output through OutputConstructor, next, evaluated parameters', async () => {
    const result = await testState(flow, 'Connect', { input, taskResult: { Body: { requestId: 'r-1' } } });
    expect(result).toEqual({
      status: 'Succeeded',
      next: 'Describe',
      output: { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-1', requestId: 'r-1' },
      input,
      parameters: { resourceArn: 'acs:fc:cn-hangzhou:123456789012:functions/ri-connect/LATEST', invocationType: 'Sync', body: input },
    });
  });

  it.each([
    [0, 2, 1],
    [1, 4, 2],
    [2, 8, 3],
  ])('a matching error with retryCount %i → retry after %i s (attempt %i)', async (retryCount, waitSeconds, attempt) => {
    const result = await testState(flow, 'Connect', { input, retryCount, taskError: { name: 'FC.ResourceThrottled', message: '429' } });
    expect(result).toMatchObject({ status: 'Retrying', waitSeconds, retry: { attempt, rule: 0 }, error: { name: 'FC.ResourceThrottled', message: '429' } });
  });

  it('retries exhausted → Catch with its OutputConstructor', async () => {
    const result = await testState(flow, 'Connect', { input, retryCount: 3, taskError: { name: 'FC.ResourceThrottled', message: '429' } });
    expect(result).toMatchObject({ status: 'Caught', next: 'ConnectFailed', output: { errorCode: 'FC.ResourceThrottled', errorDetail: '429' } });
  });

  it('Choice, Wait, Fail and the end of a scope', async () => {
    expect(await testState(flow, 'IsActive', { input: { status: 'Active' } })).toMatchObject({ status: 'Succeeded', next: 'Modify' });
    expect(await testState(flow, 'IsActive', { input: { status: 'Connecting', attempt: 30 } })).toMatchObject({ next: 'TimedOut' });
    expect(await testState(flow, 'Backoff', { input: {} })).toMatchObject({ status: 'Succeeded', next: 'Describe', waitSeconds: 10 });
    expect(await testState(flow, 'TimedOut', { input: {} })).toMatchObject({ status: 'Failed', error: { name: 'RiNotActive', message: 'router interface did not become Active in time' } });
    expect(await testState(flow, 'Modify', { input, taskResult: { Body: 1 } })).toMatchObject({ status: 'Succeeded', end: true, output: { routerInterfaceId: 'ri-1', result: 1 } });
  });

  it('Parallel and nested states by name; errors for unknown names and missing task results', async () => {
    const parallel = flowOf(
      '  - Type: Parallel\n    Name: Fan\n    Branches:\n      - StartAt: Inner\n        States:\n          - Type: Wait\n            Name: Inner\n            Seconds.$: $Input.s\n            End: true\n    OutputConstructor:\n      first.$: $Output.Branch0\n    End: true\n',
    );
    expect(await testState(parallel, 'Fan', { input: {}, taskResult: { Branch0: { a: 1 } } })).toMatchObject({ output: { first: { a: 1 } }, end: true });
    expect(await testState(parallel, 'Inner', { input: { s: 7 } })).toMatchObject({ waitSeconds: 7, end: true });
    await expect(testState(parallel, 'Nope', { input: {} })).rejects.toThrow(/no state named "Nope"/);
    await expect(testState(parallel, 'Fan', { input: {} })).rejects.toThrow(/needs taskResult or taskError/);
  });
});
