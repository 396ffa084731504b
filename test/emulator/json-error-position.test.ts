import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../../src/emulator/json-error-position';

describe('jsonErrorPosition', () => {
  it('finds nothing wrong in valid JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonErrorPosition(JSON.stringify(value, null, 2)) === undefined), { numRuns: 200 });
  });

  it('locates a break no later than where a truncated document ends', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, cut) => {
        const text = JSON.stringify(value);
        const prefix = text.slice(0, cut % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(prefix);
        } catch {
          valid = false;
        }
        const position = jsonErrorPosition(prefix);
        return valid ? position === undefined : position !== undefined && position <= prefix.length;
      }),
      { numRuns: 300 },
    );
  });

  it('points at the offending character', () => {
    expect(jsonErrorPosition('{"a": [}')).toBe(7);
    expect(jsonErrorPosition('{"a": 1,}')).toBe(8);
    expect(jsonErrorPosition('[1] x')).toBe(4);
    expect(jsonErrorPosition('"\\q"')).toBe(1);
  });
});
