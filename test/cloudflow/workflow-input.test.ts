import { describe, expect, it } from 'vitest';
import { validateWorkflowInput } from '../../src/cloudflow/workflow-input';
import { InvalidInputError } from '../../src/vpc/errors';

const change = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-2zeo3xzyf38r4urzdaaaa', spec: 'Large.1' };

function refusal(flow: string, input: unknown): { field: string; rule: string } {
  try {
    validateWorkflowInput(flow, input);
  } catch (error) {
    if (error instanceof InvalidInputError) return { field: error.field, rule: error.rule };
    throw error;
  }
  throw new Error('accepted');
}

describe('validateWorkflowInput', () => {
  it('accepts each flow\'s input and drops unknown keys', () => {
    expect(validateWorkflowInput('riflow-connect-and-modify-spec', { ...change, extra: 1 })).toEqual(change);
    expect(validateWorkflowInput('riflow-modify-spec', change)).toEqual(change);
    expect(validateWorkflowInput('riflow-deactivate', change)).toEqual({ regionId: change.regionId, routerInterfaceId: change.routerInterfaceId });
    expect(validateWorkflowInput('riflow-batch-modify-spec', { changes: [change, change] })).toEqual({ changes: [change, change] });
  });

  it('names the field by its path in the input, and the rule', () => {
    expect(refusal('riflow-modify-spec', { ...change, spec: 'Negative' })).toEqual({ field: 'spec', rule: 'negative' });
    expect(refusal('riflow-modify-spec', { regionId: 'cn-hangzhou', spec: 'Large.1' })).toEqual({ field: 'routerInterfaceId', rule: 'required' });
    expect(refusal('riflow-deactivate', { ...change, regionId: 'CN_HANGZHOU' })).toEqual({ field: 'regionId', rule: 'format' });
    expect(refusal('riflow-batch-modify-spec', { changes: [change, change, change, { ...change, spec: 'Huge' }] })).toEqual({ field: 'changes[3].spec', rule: 'enum' });
    expect(refusal('riflow-batch-modify-spec', { changes: [change, 'x'] })).toEqual({ field: 'changes[1]', rule: 'shape' });
    expect(refusal('riflow-batch-modify-spec', { changes: [] })).toEqual({ field: 'changes', rule: 'batch' });
    expect(refusal('riflow-modify-spec', [change])).toEqual({ field: 'input', rule: 'shape' });
    expect(refusal('riflow-unknown', change)).toEqual({ field: 'flow', rule: 'flow' });
  });
});
