/** What a function error's Detail holds (CLOUDFLOW_POLICY.taskErrorDetail), as the local task invoker makes it. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowError } from '../../src/flow/errors';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { createLocalFc } from '../../src/local-fc/runtime';
import { createFcTaskInvoker } from '../../src/local-fc/task-invoker';

const fc = createLocalFc({ sYamlPath: join(import.meta.dirname, 'fixtures', 's.yaml'), variables: {}, log: () => undefined });
const request = {
  action: 'FC:InvokeFunction',
  parameters: { resourceArn: 'acs:fc:{region}:{accountId}:functions/riflow-class-named-error', invocationType: 'Sync', body: { status: 'Active' } },
  stateName: 'S',
  executionName: 'e',
  retryCount: 0,
  signal: new AbortController().signal,
};

async function failure(taskErrorDetail: 'error-message' | 'error-body'): Promise<FlowError> {
  return (await createFcTaskInvoker(fc, { policy: { ...CLOUDFLOW_POLICY, taskErrorDetail } })(request).catch((error: unknown) => error)) as FlowError;
}

describe('taskErrorDetail', () => {
  it("'error-message' (the default): FC's errorMessage", async () => {
    expect(await failure('error-message')).toMatchObject({ name: 'IncorrectStatus', message: 'router interface is Active' });
  });

  it("'error-body': FC's whole error body as JSON text", async () => {
    const error = await failure('error-body');
    expect(error.name).toBe('IncorrectStatus');
    expect(JSON.parse(error.message)).toEqual({ errorMessage: 'router interface is Active', errorType: 'IncorrectStatus', stackTrace: [] });
  });
});
