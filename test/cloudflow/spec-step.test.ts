import { describe, expect, it } from 'vitest';
import { readSpecBounds, stepSpec } from '../../src/cloudflow/spec-step';

const bounds = { min: 'Small.1', max: 'Large.1' } as const;

describe('stepSpec', () => {
  it('moves one rung up or down the ladder', () => {
    expect(stepSpec('Small.1', 'up', bounds)).toEqual({ spec: 'Small.2' });
    expect(stepSpec('Middle.5', 'up', bounds)).toEqual({ spec: 'Large.1' });
    expect(stepSpec('Middle.1', 'down', bounds)).toEqual({ spec: 'Small.5' });
  });

  it('never leaves the bounds, and brings an interface outside them back in', () => {
    expect(stepSpec('Large.1', 'up', bounds)).toEqual({ skipped: 'it is at Large.1, and RIFLOW_ALERT_MAX_SPEC Large.1 allows no step up' });
    expect(stepSpec('Small.1', 'down', bounds)).toEqual({ skipped: 'it is at Small.1, and RIFLOW_ALERT_MIN_SPEC Small.1 allows no step down' });
    expect(stepSpec('Mini.2', 'up', bounds)).toEqual({ spec: 'Small.1' });
    expect(stepSpec('Xlarge.1', 'down', bounds)).toEqual({ spec: 'Large.1' });
    expect(stepSpec('Mini.2', 'down', bounds)).toMatchObject({ skipped: expect.stringContaining('no step down') });
  });

  it('skips an accepting interface, whose spec cannot be changed', () => {
    expect(stepSpec('Negative', 'up', bounds)).toEqual({ skipped: "its spec is Negative: only an initiating interface's spec can be changed" });
  });
});

describe('readSpecBounds', () => {
  it('reads two valid specs, smallest first', () => {
    expect(readSpecBounds({ RIFLOW_ALERT_MIN_SPEC: 'Small.1', RIFLOW_ALERT_MAX_SPEC: ' Large.1 ' })).toEqual(bounds);
  });

  it.each([
    [{ RIFLOW_ALERT_MAX_SPEC: 'Large.1' }, 'RIFLOW_ALERT_MIN_SPEC', 'required'],
    [{ RIFLOW_ALERT_MIN_SPEC: 'Small.1', RIFLOW_ALERT_MAX_SPEC: 'large.1' }, 'RIFLOW_ALERT_MAX_SPEC', undefined],
    [{ RIFLOW_ALERT_MIN_SPEC: 'Large.1', RIFLOW_ALERT_MAX_SPEC: 'Small.1' }, 'RIFLOW_ALERT_MIN_SPEC', 'bounds'],
  ])('refuses %j naming %s', (env, field, rule) => {
    expect(() => readSpecBounds(env)).toThrowError(expect.objectContaining({ name: 'InvalidInput', field, ...(rule ? { rule } : {}) }));
  });
});
