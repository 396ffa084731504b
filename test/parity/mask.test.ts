import { describe, expect, it } from 'vitest';
import { maskObservation } from '../../src/parity/mask';

describe('masking an observation', () => {
  it('replaces times, request ids, interface and account ids, the run\'s own strings and stack traces, and sorts keys', () => {
    const masked = maskObservation(
      {
        zeta: 'Execution \'parity-20261201t101010z-ab12cd-retry\' already exists.',
        alpha: { RequestId: 'anything at all', stackTrace: ['Error: x', '    at /code/index.js:12:9'], when: 'started 2026-12-01T10:10:10.123Z, ended 2026-12-01T10:10:11Z' },
        ids: ['4BC02B9F-1A2B-4C3D-9E8F-0123456789AB', 'ri-bp1d2v6ebu8tl7ohx4kmq', 'account 1468255470342387', 'the pair ri-2zeo3xzyf38r4urzdaaaa'],
        kept: [1, true, null, 'IncorrectRIStatus', 'ri-short'],
      },
      { volatile: [['parity-20261201t101010z-ab12cd', 'parity-<run>'], ['ri-2zeo3xzyf38r4urzdaaaa', '<test-pair>']] },
    );
    expect(masked).toEqual({
      alpha: { RequestId: '<request-id>', stackTrace: '<masked>', when: 'started <time>, ended <time>' },
      ids: ['<request-id>', '<router-interface-id>', 'account <account-id>', 'the pair <test-pair>'],
      kept: [1, true, null, 'IncorrectRIStatus', 'ri-short'],
      zeta: "Execution 'parity-<run>-retry' already exists.",
    });
    expect(Object.keys(masked)).toEqual(['alpha', 'ids', 'kept', 'zeta']);
    expect(JSON.stringify(maskObservation(masked))).toBe(JSON.stringify(masked));
  });
});
