import { describe, expect, it } from 'vitest';
import { BATCH_WORST_CASE_EVENTS, MAX_BATCH_CHANGES, RIFLOW_FLOWS, validateWorkflowInput } from '../../src/cloudflow/workflow-input';
import { CLOUDFLOW_LIMITS } from '../../src/flow/limits';
import { InvalidInputError } from '../../src/input-error/invalid-input';

const change = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-2zeo3xzyf38r4urzdaaaa', spec: 'Large.1' };
const changes = (n: number) => Array.from({ length: n }, () => change);
const fleet = { regionId: 'cn-hangzhou', spec: 'Small.1', select: { tag: { key: 'riflow-fleet', value: 'office-links' } } };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `ri-2zeo3xzyf38r4urz${String(i).padStart(5, '0')}`);

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
    expect(Object.keys(RIFLOW_FLOWS)).toEqual(['riflow-connect-and-modify-spec', 'riflow-modify-spec', 'riflow-deactivate', 'riflow-batch-modify-spec', 'riflow-fleet-modify-spec']);
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
    ['riflow-fleet-modify-spec', { regionId: 'cn-hangzhou', spec: 'Small.1' }, 'select', 'fleet-target'],
    ['riflow-fleet-modify-spec', { ...fleet, routerInterfaceIds: ['ri-a'] }, 'routerInterfaceIds', 'fleet-target'],
    ['riflow-fleet-modify-spec', { ...fleet, select: {} }, 'select', 'selector-empty'],
    ['riflow-fleet-modify-spec', { ...fleet, select: { routerId: 'router-1' } }, 'select.routerId', 'format'],
    ['riflow-fleet-modify-spec', { ...fleet, select: { tag: { key: 'acs:owner' } } }, 'select.tag.key', 'format'],
    ['riflow-fleet-modify-spec', { ...fleet, select: { tag: 'night' } }, 'select.tag', 'shape'],
    ['riflow-fleet-modify-spec', { ...fleet, select: { namePattern: '' } }, 'select.namePattern', 'format'],
    ['riflow-fleet-modify-spec', { ...fleet, spec: 'Negative' }, 'spec', 'negative'],
    ['riflow-fleet-modify-spec', { regionId: 'cn-hangzhou', spec: 'Small.1', routerInterfaceIds: [] }, 'routerInterfaceIds', 'fleet-size'],
    ['riflow-fleet-modify-spec', { regionId: 'cn-hangzhou', spec: 'Small.1', routerInterfaceIds: ['ri-a', 'ri-a'] }, 'routerInterfaceIds[1]', 'duplicate'],
    ['riflow-fleet-modify-spec', { regionId: 'cn-hangzhou', spec: 'Small.1', routerInterfaceIds: ['ri-a', 'RI-B'] }, 'routerInterfaceIds[1]', 'format'],
  ])('%s refuses %j naming %s (rule %s)', (flow, input, field, rule) => {
    expect(refusal(flow, input)).toMatchObject({ name: 'InvalidInput', field, rule });
  });

  it('takes a fleet by selector or by up to 2,000 ids, one spec for all, and refuses 2,001 naming the limit', () => {
    expect(validateWorkflowInput('riflow-fleet-modify-spec', { ...fleet, extra: 1 })).toEqual(fleet);
    const every = { regionId: 'cn-hangzhou', spec: 'Large.1', select: { routerId: 'vrt-bp1lhl0taikrteen8oxpw', tag: { key: 'k', value: '' }, namePattern: 'night-*' } };
    expect(validateWorkflowInput('riflow-fleet-modify-spec', every)).toEqual(every);
    const listed = { regionId: 'cn-hangzhou', spec: 'Large.1', routerInterfaceIds: ids(2000) };
    expect(validateWorkflowInput('riflow-fleet-modify-spec', listed)).toEqual(listed);
    // 2,000 ids are the largest list whose shards still fit 64 KiB of state data.
    expect(Buffer.byteLength(JSON.stringify(listed))).toBeLessThan(CLOUDFLOW_LIMITS.stateDataBytes.value);
    const tooMany = refusal('riflow-fleet-modify-spec', { ...listed, routerInterfaceIds: ids(2001) });
    expect(tooMany).toMatchObject({ field: 'routerInterfaceIds', rule: 'fleet-size' });
    expect(tooMany.message).toContain("must hold at most 2000 ids (a longer list would not fit CloudFlow's 64 KiB execution input; use a selector instead)");
    expect(refusal('riflow-fleet-modify-spec', { spec: 'Small.1', select: fleet.select }, 'event.input')).toMatchObject({ field: 'event.input.regionId' });
    expect(refusal('riflow-fleet-modify-spec', { ...fleet, select: { tag: { key: 'x', value: 'https://a' } } }, 'event.payload')).toMatchObject({ field: 'event.payload.select.tag.value', rule: 'format' });
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
