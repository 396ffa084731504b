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
