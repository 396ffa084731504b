import { join } from 'node:path';
import OpenApiModule, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import FnfClient from '@alicloud/fnf-2019-03-15';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { REGION, withEmulator } from './helpers';

// The generated CloudFlow SDK (fnf 2019-03-15) is a thin layer over this client: every action is `callApi` with
// these Params — V3 ACS3-HMAC-SHA256 signatures, POST, RPC style. Driving it directly checks what that SDK sends.
const OpenApiClient = ((OpenApiModule as unknown as { default?: typeof OpenApiModule }).default ?? OpenApiModule) as typeof OpenApiModule;
const ROOT = join(import.meta.dirname, '..', '..');

async function callCloudFlow(client: OpenApiModule, action: string, query: Record<string, string>): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const params = new $OpenApiUtil.Params({
    action,
    version: '2019-03-15',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  return (await client.callApi(params, request, new $dara.RuntimeOptions({}))) as { statusCode: number; body: Record<string, unknown> };
}

describe('the local CloudFlow API with the published SDKs', () => {
  it('answers @alicloud/fnf-2019-03-15 (V1 signatures over pop-core)', async () => {
    await withEmulator(
      { config: { preset: 'fast' }, cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') } },
      async (emulator) => {
        const client = new FnfClient({ endpoint: emulator.url, ...emulator.credentials });
        const input = JSON.stringify({ regionId: REGION, routerInterfaceId: 'ri-doesnotexist0000000000' });
        const started = (await client.startExecution({ FlowName: 'riflow-deactivate', ExecutionName: 'v1-run', Input: input })) as { Status: string };
        expect(started.Status).toBe('Running');
        await emulator.cloudflow?.executions.settled();
        const described = (await client.describeExecution({ FlowName: 'riflow-deactivate', ExecutionName: 'v1-run' })) as { Status: string };
        expect(described.Status).toBe('Failed');
      },
    );
  });

  it('starts, describes and lists an execution, and refuses a wrong secret', async () => {
    const clock = new VirtualClock(Date.now());
    await withEmulator(
      { clock, config: { preset: 'fast' }, cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') } },
      async (emulator) => {
        const config = (keys: { accessKeyId: string; accessKeySecret: string }) =>
          new $OpenApiUtil.Config({ ...keys, endpoint: new URL(emulator.url).host, protocol: 'http', regionId: REGION });
        const client = new OpenApiClient(config(emulator.credentials));
        const input = JSON.stringify({ regionId: REGION, routerInterfaceId: 'ri-doesnotexist0000000000' });
        const started = await callCloudFlow(client, 'StartExecution', { FlowName: 'riflow-deactivate', ExecutionName: 'v3-run', Input: input });
        expect(started.statusCode).toBe(200);
        expect(started.body).toMatchObject({ FlowName: 'riflow-deactivate', Name: 'v3-run', Status: 'Running' });
        await emulator.cloudflow?.executions.settled();
        const described = await callCloudFlow(client, 'DescribeExecution', { FlowName: 'riflow-deactivate', ExecutionName: 'v3-run' });
        expect(described.body.Status).toBe('Failed');
        const listed = await callCloudFlow(client, 'ListExecutions', { FlowName: 'riflow-deactivate' });
        expect((listed.body.Executions as Array<{ Name: string }>).map((execution) => execution.Name)).toEqual(['v3-run']);
        const intruder = new OpenApiClient(config({ accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: 'wrong' }));
        await expect(callCloudFlow(intruder, 'ListExecutions', { FlowName: 'riflow-deactivate' })).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
      },
    );
  });
});
