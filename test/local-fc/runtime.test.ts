/** The local FC runtime called directly, as FC's invocation API is: results, function errors, environments. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalFc, FunctionNotFoundError, type InvokeResult, type LocalFcOptions } from '../../src/local-fc/runtime';

const sYamlPath = join(import.meta.dirname, 'fixtures', 's.yaml');
const credentials = { accessKeyId: 'role-key', accessKeySecret: 'role-secret', securityToken: 'role-token' };

function runtime(options: Partial<LocalFcOptions> = {}) {
  return createLocalFc({ sYamlPath, variables: {}, credentials, log: () => undefined, ...options });
}

function bodyOf(result: InvokeResult): Record<string, unknown> {
  if ('error' in result) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  return result.body as Record<string, unknown>;
}

describe('invoke', () => {
  it('answers the result with the request id the handler saw, or the function error as FC reports it', async () => {
    const fc = runtime();
    const echoed = await fc.invoke('riflow-echo', '{"id":"ri-1"}', { accountId: '123456789012', serviceName: 'riflow', qualifier: 'prod' });
    expect(bodyOf(echoed)).toMatchObject({
      event: { id: 'ri-1' },
      requestId: echoed.requestId,
      accountId: '123456789012',
      service: { name: 'riflow', qualifier: 'prod' },
      credentialKeys: ['accessKeyId', 'accessKeySecret', 'securityToken'],
    });
    expect(await fc.invoke('riflow-class-named-error', '{"status":"Active"}')).toMatchObject({
      error: { errorType: 'IncorrectStatus', errorMessage: 'router interface is Active' },
    });
    expect(await fc.invoke('riflow-missing-code', '')).toMatchObject({ error: { errorType: 'FC.FunctionNotFound' } });
  });

  it('refuses a function s.yaml does not deploy as FC does (FunctionNotFound), before running anything', async () => {
    const fc = runtime();
    expect(fc.has('riflow-echo')).toBe(true);
    expect(fc.has('riflow-nope')).toBe(false);
    await expect(fc.invoke('riflow-nope', '')).rejects.toBeInstanceOf(FunctionNotFoundError);
    await expect(fc.invoke('riflow-nope', '')).rejects.toMatchObject({ code: 'FunctionNotFound', functionName: 'riflow-nope' });
  });
});

describe("each function's own process environment", () => {
  it('two functions with different environments run concurrently without seeing each other, and the host sees neither', async () => {
    const fc = runtime({ environment: { SHARED: 'from-caller', PROBE_VALUE: 'from-caller' } });
    const hostBefore = { ...process.env };
    const [a, b] = await Promise.all([fc.invoke('riflow-env-a', ''), fc.invoke('riflow-env-b', '')]);
    // s.yaml's variables over the caller's; FC's own and the role's keys in every function's.
    expect(bodyOf(a as InvokeResult)).toEqual({
      before: 'a',
      after: 'a',
      writtenBy: 'riflow-env-a',
      shared: 'from-caller',
      accessKeyId: 'role-key',
      functionName: 'riflow-env-a',
      hostProbe: null,
      hostWritten: null,
    });
    expect(bodyOf(b as InvokeResult)).toEqual({
      before: 'b',
      after: 'b',
      writtenBy: 'riflow-env-b',
      shared: 'from-s-yaml',
      accessKeyId: 'role-key',
      functionName: 'riflow-env-b',
      hostProbe: null,
      hostWritten: null,
    });
    expect(process.env).toEqual(hostBefore);
  });

  it('holds only what s.yaml, FC and the caller give it: no keys when none are given', async () => {
    const body = bodyOf(await runtime({ credentials: undefined }).invoke('riflow-env-a', ''));
    expect(body).toMatchObject({ accessKeyId: null, before: 'a' });
    expect(body).not.toHaveProperty('shared');
  });
});
