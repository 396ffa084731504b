/**
 * Two choices the docs leave open that a recording can now flip (CLOUDFLOW_POLICY): the input of a Catch's Next
 * state without an OutputConstructor, in a run and in testState alike.
 */
import { describe, expect, it } from 'vitest';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../src/flow/policy';
import { testState } from '../../src/flow/test-state';
import { flowOf, runFlow, taskError } from './helpers';

const flow = flowOf(
  '  - Type: Task\n    Name: Call\n    Action: X:Y\n    Catch:\n      - Description: all\n        Errors: [FnF.ALL]\n        Next: After\n    End: true\n' +
    '  - Type: Pass\n    Name: After\n    OutputConstructor:\n      received.$: $Input\n    End: true\n',
);
const failing = { Call: () => Promise.reject(taskError('Boom', 'it broke')) };
const withError: CloudFlowPolicy = { ...CLOUDFLOW_POLICY, catchNextInput: 'error' };

describe('catchNextInput', () => {
  it("'state-input' (the default): the Next state gets the failed state's input", async () => {
    const { result } = await runFlow(flow, { a: 1 }, failing);
    expect(result).toMatchObject({ status: 'Succeeded', output: { received: { a: 1 } } });
    expect(await testState(flow, 'Call', { input: { a: 1 }, taskError: { name: 'Boom', message: 'it broke' } })).toMatchObject({ status: 'Caught', output: { a: 1 } });
  });

  it("'error': the Next state gets the error as $Context.Current.Error spells it", async () => {
    const { result } = await runFlow(flow, { a: 1 }, failing, { policy: withError });
    expect(result).toMatchObject({ status: 'Succeeded', output: { received: { Code: 'Boom', Detail: 'it broke' } } });
    expect(await testState(flow, 'Call', { input: { a: 1 }, taskError: { name: 'Boom', message: 'it broke' }, policy: withError })).toMatchObject({
      status: 'Caught',
      output: { Code: 'Boom', Detail: 'it broke' },
    });
  });
});
