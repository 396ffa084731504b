/**
 * CLOUDFLOW_POLICY holds values that are read, typed so that a recorded result can set either value: each field below
 * is flipped and the interpreter follows it. (The choices the interpreter makes one way only are listed in policy.ts.)
 */
import { describe, expect, it } from 'vitest';
import { loadFlow } from '../../src/flow/loader';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../src/flow/policy';
import { retryDelaySeconds } from '../../src/flow/retry';
import { flowOf, runFlow } from './helpers';

/** What a parity recording could set: every value here is one the type allows besides the default. */
const RECORDED: CloudFlowPolicy = {
  ...CLOUDFLOW_POLICY,
  delayCapWithoutMaxBackoffSeconds: 60,
  mapItemsMustBeObjects: false,
  missingRuleDescription: 'allow',
  countRetriesAsTransitions: false,
};

describe('CLOUDFLOW_POLICY', () => {
  it('delayCapWithoutMaxBackoffSeconds caps a retry delay when the rule has no MaxBackoffSeconds', () => {
    const rule = { errors: ['X'], intervalSeconds: 10, maxAttempts: 10, backoffRate: 2 };
    expect(retryDelaySeconds(rule, 5, CLOUDFLOW_POLICY)).toBe(160);
    expect(retryDelaySeconds(rule, 5, RECORDED)).toBe(60);
    expect(retryDelaySeconds({ ...rule, maxBackoffSeconds: 100 }, 5, RECORDED)).toBe(100);
  });

  it('missingRuleDescription: warn by default, silent when allowed', () => {
    const text = [
      'Type: StateMachine',
      'SpecVersion: v1',
      'Name: p',
      'StartAt: T',
      'States:',
      '  - Type: Task',
      '    Name: T',
      '    Action: FC:InvokeFunction',
      '    Retry:',
      '      - Errors: [X]',
      '        IntervalSeconds: 1',
      '        MaxAttempts: 1',
      '    End: true',
      '',
    ].join('\n');
    expect(loadFlow(text).warnings.map((w) => w.field)).toEqual(['Description']);
    expect(loadFlow(text, { policy: RECORDED }).warnings).toEqual([]);
  });

  it('mapItemsMustBeObjects: a non-object item fails the Map, or is let through to the iteration when not', async () => {
    const flow = flowOf(
      [
        '  - Type: Map',
        '    Name: Each',
        '    ItemsPath: $Input.items',
        '    Processor:',
        '      StartAt: P',
        '      States:',
        '        - Type: Pass',
        '          Name: P',
        '          End: true',
        '    End: true',
        '',
      ].join('\n'),
    );
    const strict = await runFlow(flow, { items: [1] });
    expect(strict.result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidInput', cause: 'Each: item 0 must be a JSON object (it becomes a state input)' });
    const lenient = await runFlow(flow, { items: [1] }, {}, { policy: RECORDED });
    // The item reaches the iteration, whose Pass then cannot output it as state data.
    expect(lenient.result).toMatchObject({ status: 'Failed', error: 'FnF.InvalidOutput', cause: 'P: output must be a JSON object, got number' });
  });
});
