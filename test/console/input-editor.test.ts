import { describe, expect, it } from 'vitest';
import { checkInput, fieldPath, locateField } from '../../src/console/page/input-editor';

const batch = (spec: string): string =>
  JSON.stringify({ changes: [{ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-abc', spec: 'Large.1' }, { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-def', spec }] }, null, 2);

describe('the input editor\'s check', () => {
  it('reads field paths as the validators write them', () => {
    expect(fieldPath('changes[3].spec')).toEqual(['changes', 3, 'spec']);
    expect(fieldPath('regionId')).toEqual(['regionId']);
  });

  it('points at the offending value: its text, its line', () => {
    const text = batch('Huge.9');
    const check = checkInput('riflow-batch-modify-spec', text);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toMatchObject({ field: 'changes[1].spec', rule: 'enum', line: 11 });
    expect(text.slice(check.problem.offset, check.problem.offset + check.problem.length)).toBe('"Huge.9"');
  });

  it('points at the object a required field is missing from', () => {
    const text = '{\n  "regionId": "cn-hangzhou",\n  "spec": "Large.1"\n}';
    const check = checkInput('riflow-modify-spec', text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problem).toMatchObject({ field: 'routerInterfaceId', rule: 'required', offset: 0, line: 1 });
  });

  it('reports text that is not JSON where it broke', () => {
    const check = checkInput('riflow-modify-spec', '{\n  "regionId": "cn-hangzhou",\n  "spec" "Large.1"\n}');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problem).toMatchObject({ field: 'input', rule: 'json', line: 3 });
  });

  it('passes a good input on, validated', () => {
    expect(checkInput('riflow-batch-modify-spec', batch('Small.1'))).toMatchObject({ ok: true, input: { changes: [{ spec: 'Large.1' }, { spec: 'Small.1' }] } });
    expect(locateField(batch('x'), 'changes[1].routerInterfaceId').line).toBe(10);
  });
});
