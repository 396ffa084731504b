import { join } from 'node:path';
import OpenApiModule, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import FnfClient from '@alicloud/fnf-2019-03-15';
import { describe, expect, it } from 'vitest';
import { connectedPairsSeed } from '../../src/emulator/index';
import { CLOUDFLOW_EVENT_TYPES } from '../../src/flow/cloudflow-history';
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

  it('GetExecutionHistory through @alicloud/fnf-2019-03-15 lists only the documented event types and fields, page by page', async () => {
    const { seed, initiators } = connectedPairsSeed(2);
    await withEmulator(
      {
        clock: new VirtualClock(),
        seed,
        config: { preset: 'fast' },
        // The first spec change is refused as the interface settles: the workflow retries it.
        faults: [{ action: 'ModifyRouterInterfaceSpec', calls: '0', error: { code: 'IncorrectStatus', status: 400, message: 'The status of the router interface is incorrect.' } }],
        cloudflow: { sYamlPath: join(ROOT, 's.yaml'), workflowsDir: join(ROOT, 'workflows') },
      },
      async (emulator) => {
        const client = new FnfClient({ endpoint: emulator.url, ...emulator.credentials });
        const changes = initiators.map((routerInterfaceId) => ({ regionId: REGION, routerInterfaceId, spec: 'Large.1' }));
        await client.startExecution({ FlowName: 'riflow-batch-modify-spec', ExecutionName: 'history-run', Input: JSON.stringify({ changes }) });
        await emulator.cloudflow?.executions.settled();
        type Page = { Events: Array<Record<string, unknown>>; NextToken?: string; RequestId: string };
        const events: Array<Record<string, unknown>> = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = (await client.getExecutionHistory({ FlowName: 'riflow-batch-modify-spec', ExecutionName: 'history-run', Limit: 7, ...(token ? { NextToken: token } : {}) })) as Page;
          expect(page.Events.length).toBeLessThanOrEqual(7);
          events.push(...page.Events);
          token = page.NextToken;
          pages += 1;
        } while (token && pages < 100);
        expect(pages).toBeGreaterThan(1);

        const documented = new Set<string>(CLOUDFLOW_EVENT_TYPES);
        expect(events.filter((event) => !documented.has(event.Type as string))).toEqual([]);
        for (const event of events) {
          expect(Object.keys(event).sort()).toEqual(['EventDetail', 'EventId', 'ScheduleEventId', 'StepName', 'Time', 'Type']);
          expect(event).toMatchObject({ EventId: expect.any(Number), ScheduleEventId: expect.any(Number), StepName: expect.any(String), Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
          const detail: unknown = JSON.parse(event.EventDetail as string);
          expect(detail).toBeTypeOf('object');
          expect(event.ScheduleEventId as number).toBeLessThan(event.EventId as number);
        }
        expect(events.map((event) => event.EventId)).toEqual(events.map((_event, index) => index + 1));
        expect(events[0]).toMatchObject({ Type: 'ExecutionStarted', StepName: '', ScheduleEventId: 0 });
        expect(events.at(-1)).toMatchObject({ Type: 'ExecutionSucceeded', StepName: '' });
        expect(events.filter((event) => event.Type === 'IterationEntered')).toHaveLength(2);
        expect(events.filter((event) => event.Type === 'IterationExited')).toHaveLength(2);
        // The retry: ModifySpec's TaskFailed, then a new TaskScheduled in the same iteration, no StepStarted between.
        const steps = events.map((event) => {
          const detail = JSON.parse(event.EventDetail as string) as { scope?: string };
          return { type: event.Type as string, step: event.StepName as string, scope: detail.scope };
        });
        const failed = steps.findIndex((step) => step.type === 'TaskFailed');
        expect(failed).toBeGreaterThan(0);
        const sameStep = steps.slice(failed + 1).filter((step) => step.step === 'ModifySpec');
        expect(sameStep[0]).toMatchObject({ type: 'TaskScheduled' });
        expect(steps.filter((step) => step.step === 'ModifySpec' && step.type === 'StepStarted')).toHaveLength(2);
        const execution = emulator.cloudflow?.executions.get('riflow-batch-modify-spec', 'history-run');
        expect(execution?.result?.historyEvents).toBe(events.length);
      },
    );
  });
});
