import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/input-error/invalid-input';
import { validateAttempt, validateClientToken, validateFilters, validateRegionId, validateRouterInterfaceId, validateSpec, validateTargetSpec } from '../../src/vpc/validate';
import { BANDWIDTH_SPEC_NAMES, BANDWIDTH_SPECS, bandwidthOf } from '../../src/vpc-api/specs';

function caught(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

const HOSTILE = {
  control: 'ri-abc\u0000\u001b[31m\n',
  huge: `ri-${'a'.repeat(10_000)}`,
  unicode: 'ri-ａｂｃ\u202e',
  emoji: 'ri-😀',
  upper: 'RI-1',
};

describe('routerInterfaceId', () => {
  it.each(['ri-1', 'ri-2zeo3xzyf38r4urzd0abc', `ri-${'a'.repeat(64)}`])('accepts %s', (id) => {
    expect(validateRouterInterfaceId(id)).toBe(id);
  });

  it.each([
    ['ri-', 'format'],
    ['ri-A1', 'format'],
    ['vrt-abc', 'format'],
    [` ri-abc`, 'format'],
    [`ri-${'a'.repeat(65)}`, 'format'],
    ...Object.values(HOSTILE).map((value) => [value, 'format'] as [string, string]),
    [42, 'type'],
    [undefined, 'required'],
    [null, 'required'],
  ])('refuses %j with rule %s', (value, rule) => {
    const error = caught(() => validateRouterInterfaceId(value));
    expect(error.name).toBe('InvalidInput');
    expect(error.field).toBe('routerInterfaceId');
    expect(error.rule).toBe(rule);
  });

  it('explains the rule and echoes the value', () => {
    expect(caught(() => validateRouterInterfaceId('RI-1')).message).toBe(
      'routerInterfaceId: must look like "ri-" followed by 1 to 64 lower-case letters and digits (got "RI-1")',
    );
  });

  it('echoes hostile input escaped and truncated', () => {
    const control = caught(() => validateRouterInterfaceId(HOSTILE.control)).message;
    expect(control).toContain('(got "ri-abc\\u0000\\u001b[31m\\u000a")');
    expect([...control].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    const huge = caught(() => validateRouterInterfaceId(HOSTILE.huge)).message;
    expect(huge.length).toBeLessThan(300);
    expect(huge).toContain('(10003 chars)');
    const unicode = caught(() => validateRouterInterfaceId(HOSTILE.unicode)).message;
    expect(unicode).toContain('\\uff41');
    expect(unicode).toContain('\\u202e');
    expect(caught(() => validateRouterInterfaceId(HOSTILE.emoji)).message).toContain('\\u{1f600}');
  });

  it('describes non-strings without dumping them', () => {
    expect(caught(() => validateRouterInterfaceId({ toString: () => 'ri-x' })).message).toContain('(got an object)');
    expect(caught(() => validateRouterInterfaceId(['ri-x'])).message).toContain('(got an array of 1)');
  });
});

describe('regionId', () => {
  it.each(['cn-hangzhou', 'ap-southeast-1', 'cn-shanghai-finance-1', 'us-west-1'])('accepts %s', (region) => {
    expect(validateRegionId(region)).toBe(region);
  });

  it.each([
    ['cnhangzhou', 'format'],
    ['CN-hangzhou', 'format'],
    ['c-hangzhou', 'format'],
    ['cn-', 'format'],
    ['cn--x', 'format'],
    ['cn-hangzhou\n', 'format'],
    ['cn-hangzhou ', 'format'],
    [`cn-${'a'.repeat(62)}`, 'length'],
    [`cn-${'a'.repeat(10_000)}`, 'length'],
    ['cn-杭州', 'format'],
    [1, 'type'],
    [undefined, 'required'],
  ])('refuses %j with rule %s', (value, rule) => {
    const error = caught(() => validateRegionId(value));
    expect([error.field, error.rule]).toEqual(['regionId', rule]);
  });

  it('allows exactly 64 characters', () => {
    expect(validateRegionId(`cn-${'a'.repeat(61)}`)).toHaveLength(64);
  });
});

describe('specs', () => {
  it('knows the 12 bandwidth specs and their Mbit/s', () => {
    expect(BANDWIDTH_SPEC_NAMES).toHaveLength(12);
    expect(BANDWIDTH_SPECS['Mini.2']).toBe(2);
    expect(BANDWIDTH_SPECS['Xlarge.1']).toBe(10_000);
    expect(bandwidthOf('Negative')).toBeUndefined();
  });

  it.each(BANDWIDTH_SPEC_NAMES)('accepts %s as a target', (spec) => {
    expect(validateTargetSpec(spec)).toBe(spec);
    expect(validateSpec(spec)).toBe(spec);
  });

  it('accepts Negative only where allowed', () => {
    expect(validateSpec('Negative')).toBe('Negative');
    const error = caught(() => validateTargetSpec('Negative'));
    expect([error.field, error.rule]).toEqual(['spec', 'negative']);
  });

  it('is case-sensitive but suggests the canonical spelling', () => {
    const error = caught(() => validateTargetSpec('XLarge.1'));
    expect(error.rule).toBe('enum');
    expect(error.message).toContain('did you mean "Xlarge.1"?');
    expect(caught(() => validateSpec('negative')).message).toContain('did you mean "Negative"?');
  });

  it.each(['Huge.9', '', 'Small.1\u0000', 'x'.repeat(10_000)])('refuses %j', (spec) => {
    const error = caught(() => validateTargetSpec(spec));
    expect(error.rule).toBe('enum');
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a non-string spec', () => {
    expect(caught(() => validateTargetSpec(5)).rule).toBe('type');
    expect(caught(() => validateSpec(undefined)).rule).toBe('required');
  });
});

describe('clientToken', () => {
  it.each(['a', 'rf-0123', '!~', 'x'.repeat(64)])('accepts %j', (token) => {
    expect(validateClientToken(token)).toBe(token);
  });

  it.each(['', 'x'.repeat(65), 'has space', 'tab\t', 'é', '\u0000', 'x'.repeat(10_000)])('refuses %j', (token) => {
    const error = caught(() => validateClientToken(token));
    expect([error.field, error.rule]).toEqual(['clientToken', 'format']);
  });
});

describe('filters', () => {
  it('accepts up to 5 filters of up to 5 values with documented keys', () => {
    const filters = [
      { key: 'Status', values: ['Active', 'Idle', 'Inactive', 'Connecting', 'Activating'] },
      { key: 'RouterId', values: ['vrt-1'] },
      { key: 'RouterType', values: ['VRouter'] },
      { key: 'OppositeInterfaceOwnerId', values: ['253460731706911258'] },
      { key: 'Name', values: ['名前 with spaces'] },
    ];
    expect(validateFilters(filters)).toEqual(filters);
  });

  it.each([
    [{}, 'filters', 'type'],
    [Array.from({ length: 6 }, () => ({ key: 'Status', values: ['Active'] })), 'filters', 'count'],
    [[null], 'filters[0]', 'type'],
    [[{ key: 'status', values: ['Active'] }], 'filters[0].key', 'enum'],
    [[{ key: 'Tag', values: ['x'] }], 'filters[0].key', 'enum'],
    [[{ values: ['x'] }], 'filters[0].key', 'required'],
    [[{ key: 'Status', values: 'Active' }], 'filters[0].values', 'type'],
    [[{ key: 'Status', values: [] }], 'filters[0].values', 'count'],
    [[{ key: 'Status', values: ['a', 'b', 'c', 'd', 'e', 'f'] }], 'filters[0].values', 'count'],
    [[{ key: 'Status', values: ['Active', 3] }], 'filters[0].values[1]', 'type'],
    [[{ key: 'Status', values: [''] }], 'filters[0].values[0]', 'format'],
    [[{ key: 'Name', values: ['x\u0007'] }], 'filters[0].values[0]', 'format'],
    [[{ key: 'Name', values: ['x'.repeat(257)] }], 'filters[0].values[0]', 'format'],
  ])('refuses %j at %s (%s)', (filters, field, rule) => {
    const error = caught(() => validateFilters(filters));
    expect([error.field, error.rule]).toEqual([field, rule]);
  });
});

describe('attempt', () => {
  it.each([0, 1, 100_000])('accepts %d', (attempt) => expect(validateAttempt(attempt)).toBe(attempt));
  it.each([-1, 1.5, Number.NaN, Infinity, 100_001, '3', null])('refuses %j', (attempt) => {
    expect(caught(() => validateAttempt(attempt)).rule).toBe('range');
  });
});
