import { describe, expect, it } from 'vitest';
import { CallLog, loggableParams } from '../../src/emulator/call-log';
import type { CallRecord } from '../../src/emulator/types';

const record = (n: number): CallRecord => ({
  time: '2026-01-01T00:00:00Z', requestId: String(n), action: 'A', version: 'v', method: 'GET', signatureVersion: 'V1', params: {}, status: 200, latencyMs: 1,
});

describe('CallLog', () => {
  it('keeps the newest entries in order, across wrap-around and a shrinking limit', () => {
    let limit = 3;
    const log = new CallLog(() => limit);
    for (let n = 1; n <= 7; n += 1) log.add(record(n));
    expect(log.list().map((r) => r.requestId)).toEqual(['5', '6', '7']);
    limit = 2;
    log.add(record(8));
    expect(log.list().map((r) => r.requestId)).toEqual(['7', '8']);
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('drops signatures, tokens and secrets from logged parameters', () => {
    expect(loggableParams({ Action: 'X', Signature: 's', SecurityToken: 't', AccessKeySecret: 'k' })).toEqual({ Action: 'X' });
  });
});
