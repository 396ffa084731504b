import { describe, expect, it } from 'vitest';
import { BATCH_WORST_CASE_EVENTS, MAX_BATCH_CHANGES, RIFLOW_FLOWS, validateWorkflowInput } from '../../src/cloudflow/workflow-input';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { InvalidInputError } from '../../src/input-error/invalid-input';

const change = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-2zeo3xzyf38r4urzdaaaa', spec: 'Large.1' };
const changes = (n: number) => Array.from({ length: n }, () => change);

function refusal(flow: string, input: unknown, path?: string): InvalidInputError {
  try {
    validateWorkflowInput(flow, input, path);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('validateWorkflowInput', () => {
  it('accepts each shipped flow\'s input and drops unknown keys', () => {
    expect(Object.keys(RIFLOW_FLOWS)).toEqual(['riflow-connect-and-modify-spec', 'riflow-modify-spec', 'riflow-deactivate', 'riflow-batch-modify-spec']);
    expect(validateWorkflowInput('riflow-connect-and-modify-spec', { ...change, extra: 1 })).toEqual(change);
    expect(validateWorkflowInput('riflow-modify-spec', change)).toEqual(change);
    expect(validateWorkflowInput('riflow-deactivate', change)).toEqual({ regionId: change.regionId, routerInterfaceId: change.routerInterfaceId });
    expect(validateWorkflowInput('riflow-batch-modify-spec', { changes: changes(2), flow: 'x' })).toEqual({ changes: changes(2) });
  });

  it('takes the largest batch that fits CloudFlow\'s 5,000 events in the worst case, and refuses one more naming the limit', () => {
    const { perChange, perExecution } = BATCH_WORST_CASE_EVENTS;
    expect(MAX_BATCH_CHANGES).toBe(7);
    expect(perExecution + MAX_BATCH_CHANGES * perChange).toBeLessThanOrEqual(CLOUDFLOW_LIMITS.historyEvents.value);
    expect(perExecution + (MAX_BATCH_CHANGES + 1) * perChange).toBeGreaterThan(CLOUDFLOW_LIMITS.historyEvents.value);
    expect(validateWorkflowInput('riflow-batch-modify-spec', { changes: changes(MAX_BATCH_CHANGES) })).toEqual({ changes: changes(7) });
    const tooMany = refusal('riflow-batch-modify-spec', { changes: changes(MAX_BATCH_CHANGES + 1) });
    expect(tooMany).toMatchObject({ name: 'InvalidInput', field: 'changes', rule: 'batch-size' });
    expect(tooMany.message).toContain('holds 8 changes; riflow-batch-modify-spec runs at most 7 in one execution');
    expect(tooMany.message).toContain('5000 history events per execution (https://help.aliyun.com/en/document_detail/122093.html)');
  });

  it.each([
    ['riflow-batch-modify-spec', { changes: [] }, 'changes', 'batch-size'],
    ['riflow-batch-modify-spec', { changes: 'all' }, 'changes', 'type'],
    ['riflow-batch-modify-spec', {}, 'changes', 'type'],
    ['riflow-batch-modify-spec', { changes: [change, change, change, { ...change, spec: 'Huge.9' }] }, 'changes[3].spec', 'enum'],
    ['riflow-batch-modify-spec', { changes: [change, 'x'] }, 'changes[1]', 'shape'],
    ['riflow-modify-spec', { ...change, routerInterfaceId: 'RI-1' }, 'routerInterfaceId', 'format'],
    ['riflow-modify-spec', { ...change, spec: 'Negative' }, 'spec', 'negative'],
    ['riflow-connect-and-modify-spec', { routerInterfaceId: change.routerInterfaceId, spec: 'Large.1' }, 'regionId', 'required'],
    ['riflow-deactivate', [change], 'input', 'shape'],
    ['riflow-teleport', change, 'flow', 'flow'],
  ])('%s refuses %j naming %s (rule %s)', (flow, input, field, rule) => {
    expect(refusal(flow, input)).toMatchObject({ name: 'InvalidInput', field, rule });
  });

  it('names fields under the path of a nested input', () => {
    expect(refusal('riflow-batch-modify-spec', { changes: [{ ...change, spec: 'x' }] }, 'event.input')).toMatchObject({ field: 'event.input.changes[0].spec' });
    expect(refusal('riflow-modify-spec', 3, 'event.input')).toMatchObject({ field: 'event.input', rule: 'shape' });
  });

  it('names the field by its path in the input, and the rule', () => {
    const refusal = (flow: string, input: unknown): { field: string; rule: string } => {
      try {
        validateWorkflowInput(flow, input);
      } catch (error) {
        if (error instanceof InvalidInputError) return { field: error.field, rule: error.rule };
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refusal('riflow-modify-spec', { ...change, spec: 'Negative' })).toEqual({ field: 'spec', rule: 'negative' });
    expect(refusal('riflow-modify-spec', { regionId: 'cn-hangzhou', spec: 'Large.1' })).toEqual({ field: 'routerInterfaceId', rule: 'required' });
    expect(refusal('riflow-deactivate', { ...change, regionId: 'CN_HANGZHOU' })).toEqual({ field: 'regionId', rule: 'format' });
    expect(refusal('riflow-batch-modify-spec', { changes: [change, change, change, { ...change, spec: 'Huge' }] })).toEqual({ field: 'changes[3].spec', rule: 'enum' });
    expect(refusal('riflow-batch-modify-spec', { changes: [change, 'x'] })).toEqual({ field: 'changes[1]', rule: 'shape' });
    expect(refusal('riflow-batch-modify-spec', { changes: [] })).toEqual({ field: 'changes', rule: 'batch-size' });
    expect(refusal('riflow-modify-spec', [change])).toEqual({ field: 'input', rule: 'shape' });
    expect(refusal('riflow-unknown', change)).toEqual({ field: 'flow', rule: 'flow' });
  });
});
