import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStartHandler, flowEndpoint } from '../../src/cloudflow/start-handler';

const context = { requestId: 'req-1', function: { name: 'riflow-start' }, region: 'cn-hangzhou' };
afterEach(() => vi.restoreAllMocks());

describe('the start function', () => {
  it('writes one log line for a refused event, and starts nothing', async () => {
    const lines: string[] = [];
    const transport = vi.fn();
    const start = createStartHandler({ env: {}, log: (line) => lines.push(line), transport });
    await expect(start(Buffer.from(''), context)).rejects.toMatchObject({ name: 'InvalidInput', field: 'event', rule: 'empty' });
    await expect(start(Buffer.from('{"flow":'), context)).rejects.toMatchObject({ name: 'InvalidInput', field: 'event', rule: 'json' });
    expect(transport).not.toHaveBeenCalled();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { action: 'StartExecution', function: 'riflow-start', requestId: 'req-1', outcome: 'failed', errorName: 'InvalidInput' },
      { outcome: 'failed', errorName: 'InvalidInput' },
    ]);
  });

  it('honours RIFLOW_HANDLER_LOG like the action handlers', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await createStartHandler({ env: { RIFLOW_HANDLER_LOG: 'stderr' } })('', context).catch(() => undefined);
    await createStartHandler({ env: { RIFLOW_HANDLER_LOG: 'off' } })('', context).catch(() => undefined);
    const ours = (spy: typeof out) => spy.mock.calls.filter(([chunk]) => String(chunk).includes('"action":"StartExecution"'));
    expect(ours(out)).toHaveLength(0);
    expect(ours(err)).toHaveLength(1);
  });

  it('throws CloudFlow refusals in the handler vocabulary, class named as the error, API code kept', async () => {
    const answers: Record<string, { httpStatus: number; body: unknown }> = {
      'call-throttled': { httpStatus: 400, body: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'R-1' } },
      'call-refused': { httpStatus: 404, body: { Code: 'FlowNotExists', Message: 'flow not exists', RequestId: 'R-2' } },
      'call-again': { httpStatus: 409, body: { Code: 'ExecutionAlreadyExists', Message: 'exists', RequestId: 'R-3' } },
    };
    const start = createStartHandler({
      env: { RIFLOW_FLOW_ENDPOINT: 'http://127.0.0.1:9', ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' },
      log: () => undefined,
      transport: async ({ params }) => answers[String(params.ExecutionName)] ?? { httpStatus: 500, body: {} },
    });
    const event = { flow: 'riflow-modify-spec', input: { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a', spec: 'Large.1' } };
    const failure = async (requestId: string): Promise<Error> =>
      start(event, { ...context, requestId: requestId.replace(/^call-/, '') }).then(
        () => new Error('started'),
        (e: unknown) => e as Error,
      );
    const throttled = await failure('call-throttled');
    expect(throttled).toMatchObject({ name: 'TransientFailure', code: 'Throttling.User', httpStatus: 400, requestId: 'R-1' });
    expect(throttled.constructor.name).toBe('TransientFailure');
    expect(throttled.message).toBe('Throttling.User (HTTP 400): Request was denied due to user flow control. RequestId: R-1');
    expect(await failure('call-refused')).toMatchObject({ name: 'RequestRefused', code: 'FlowNotExists' });
    // A duplicate delivery is matched by its code: not a failure.
    await expect(start(event, { ...context, requestId: 'again' })).resolves.toMatchObject({ executions: [{ started: false }] });
  });
});

describe('flowEndpoint', () => {
  it('is the CloudFlow endpoint of the function\'s own region (the flows live there, whatever region the event names)', () => {
    expect(flowEndpoint({}, { ...context, region: 'cn-shanghai' })).toBe('https://cn-shanghai.fnf.aliyuncs.com');
    expect(flowEndpoint({ FC_REGION: 'cn-beijing' }, { requestId: 'r', function: { name: 'riflow-start' } })).toBe('https://cn-beijing.fnf.aliyuncs.com');
  });

  it('takes RIFLOW_FLOW_ENDPOINT as it is, or with {regionId} filled in', () => {
    expect(flowEndpoint({ RIFLOW_FLOW_ENDPOINT: 'http://127.0.0.1:9' }, context)).toBe('http://127.0.0.1:9');
    expect(flowEndpoint({ RIFLOW_FLOW_ENDPOINT: 'https://{regionId}-internal.fnf.aliyuncs.com' }, context)).toBe('https://cn-hangzhou-internal.fnf.aliyuncs.com');
  });

  it('refuses a template it cannot fill, naming the variable', () => {
    expect(() => flowEndpoint({}, { requestId: 'r', function: { name: 'riflow-start' } })).toThrowError(expect.objectContaining({ name: 'InvalidInput', field: 'RIFLOW_FLOW_ENDPOINT' }));
  });
});
