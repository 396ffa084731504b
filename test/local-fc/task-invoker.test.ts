import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/flow/clock';
import { FlowError } from '../../src/flow/errors';
import type { JsonObject } from '../../src/flow/json';
import type { Clock } from '../../src/flow/clock';
import type { InvokeTask } from '../../src/flow/runtime';
import { parseFunctionArn } from '../../src/local-fc/function-arn';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from '../../src/local-fc/policy';
import { createLocalFc, type FcCredentials } from '../../src/local-fc/runtime';
import { createFcTaskInvoker, type FcInvocation } from '../../src/local-fc/task-invoker';
import { flowOf, runFlow } from '../flow/helpers';

const sYamlPath = join(import.meta.dirname, 'fixtures', 's.yaml');
const credentials: FcCredentials = { accessKeyId: 'test-id', accessKeySecret: 'test-secret' };
const fc3 = (name: string) => `acs:fc:{region}:{accountId}:functions/${name}/LATEST`;

interface InvokerOptions {
  variables?: Record<string, string>;
  /** `null`: no keys at all. */
  credentials?: FcCredentials | null;
  clock?: Clock;
  log?: (line: string) => void;
  policy?: LocalFcPolicy;
  onInvoke?: (invocation: FcInvocation) => void;
}

/** The task invoker over a local FC runtime for the fixture project. */
function invoker(options: InvokerOptions = {}): InvokeTask {
  const keys = options.credentials === undefined ? credentials : options.credentials;
  const fc = createLocalFc({
    sYamlPath,
    variables: options.variables ?? {},
    log: options.log ?? (() => undefined),
    ...(keys ? { credentials: keys } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  return createFcTaskInvoker(fc, options.onInvoke ? { onInvoke: options.onInvoke } : {});
}

function request(parameters: JsonObject, signal = new AbortController().signal) {
  return { action: 'FC:InvokeFunction', parameters, stateName: 'S', executionName: 'e', retryCount: 0, signal };
}

async function invokeError(invoke: InvokeTask, parameters: JsonObject): Promise<FlowError> {
  try {
    await invoke(request(parameters));
  } catch (error) {
    return error as FlowError;
  }
  throw new Error('expected the call to fail');
}

describe('parseFunctionArn', () => {
  it.each([
    ['acs:fc:cn-hangzhou:123456789012:functions/ri-connect/LATEST', { functionName: 'ri-connect', qualifier: 'LATEST', region: 'cn-hangzhou', accountId: '123456789012' }],
    ['acs:fc:{region}:{accountId}:functions/ri-connect', { functionName: 'ri-connect', region: '{region}', accountId: '{accountId}' }],
    ['acs:fc:::services/ri.prod/functions/connect', { functionName: 'connect', serviceName: 'ri', qualifier: 'prod', region: '', accountId: '' }],
    ['acs:fc:cn-hangzhou:1:services/ri/functions/connect', { functionName: 'connect', serviceName: 'ri', region: 'cn-hangzhou', accountId: '1' }],
  ])('%s', (arn, expected) => {
    expect(parseFunctionArn(arn)).toEqual(expected);
  });

  it.each(['acs:oss:::bucket/x', 'acs:fc:cn:1:functions/', 'acs:fc:cn:1:functions/a/b/c', 'functions/x'])('rejects %s', (arn) => {
    expect(parseFunctionArn(arn)).toBeUndefined();
  });
});

describe('createFcTaskInvoker', () => {
  it('runs the handler with an event Buffer and an FC-shaped context; $Output = {Body}', async () => {
    const logs: string[] = [];
    const invocations: FcInvocation[] = [];
    const invoke = invoker({ log: (line) => logs.push(line), onInvoke: (i) => invocations.push(i) });
    const output = (await invoke(request({ resourceArn: fc3('riflow-echo'), invocationType: 'Sync', body: { id: 'ri-1' } }))) as { Body: JsonObject };
    expect(output.Body).toMatchObject({
      isBuffer: true,
      event: { id: 'ri-1' },
      function: { name: 'riflow-echo', handler: 'index.handler', memory: 256, timeout: 30 },
      service: { name: '', qualifier: 'LATEST' },
      region: 'cn-shanghai',
      accountId: '000000000000',
      hasCredentials: true,
      credentialKeys: ['accessKeyId', 'accessKeySecret'],
      greeting: 'hello',
      endpoint: 'https://vpc.aliyuncs.com',
      functionNameVar: 'riflow-echo',
    });
    expect(output.Body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The function's environment is its own: nothing reached the host process.
    expect(process.env.ECHO_GREETING).toBeUndefined();
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^\\S+ ${String(output.Body.requestId)} \\[INFO\\] echo called$`))]);
    expect(invocations).toEqual([expect.objectContaining({ functionName: 'riflow-echo', stateName: 'S', output })]);
  });

  it('resolves the FC 2.0 ARN form, and ${env()} from the variables option', async () => {
    const invoke = invoker({ variables: { RIFLOW_TEST_ENDPOINT: 'http://127.0.0.1:9999' }, credentials: null });
    const output = (await invoke(request({ resourceArn: 'acs:fc:cn-hangzhou:123456789012:services/riflow.LATEST/functions/riflow-echo' }))) as { Body: JsonObject };
    expect(output.Body).toMatchObject({ event: null, endpoint: 'http://127.0.0.1:9999', accountId: '123456789012', hasCredentials: false, service: { name: 'riflow', qualifier: 'LATEST' } });
  });

  it('a thrown error becomes the task error named by its class, as FC documents errorType; detail = message', async () => {
    const invoke = invoker();
    const error = await invokeError(invoke, { resourceArn: fc3('riflow-class-named-error'), body: { status: 'Connecting' } });
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ name: 'IncorrectStatus', message: 'router interface is Connecting' });
    // Only `name` set, on a plain Error: its class name is what FC reports.
    expect(await invokeError(invoke, { resourceArn: fc3('riflow-named-error'), body: { status: 'Connecting' } })).toMatchObject({ name: 'Error' });
  });

  it('reads errorType as the policy says: the class name by default, or the name property', async () => {
    const byName = invoker({ policy: { ...LOCAL_FC_POLICY, errorType: 'name-property' } });
    const request = { resourceArn: fc3('riflow-named-error'), body: { status: 'Active' } };
    expect(await invokeError(byName, request)).toMatchObject({ name: 'IncorrectStatus', message: 'router interface is Active' });
    expect(await invokeError(byName, { ...request, resourceArn: fc3('riflow-class-named-error') })).toMatchObject({ name: 'IncorrectStatus' });
    expect(await invokeError(byName, { resourceArn: fc3('riflow-thrown-string'), body: {} })).toMatchObject({ name: 'FC.Unknown' });
  });

  it.each([
    ['riflow-thrown-string', 'FC.Unknown', 'not an Error object'],
    ['riflow-plain-error', 'TypeError', 'bad type'],
  ])('%s fails as %s', async (fn, name, message) => {
    expect(await invokeError(invoker(), { resourceArn: fc3(fn), body: {} })).toMatchObject({ name, message });
  });

  it('a function running past its s.yaml timeout fails with FC.FunctionTimeout', async () => {
    const clock = new VirtualClock();
    const invocations: FcInvocation[] = [];
    const invoke = invoker({ clock, onInvoke: (i) => invocations.push(i) });
    const error = await invokeError(invoke, { resourceArn: fc3('riflow-slow') });
    expect(error).toMatchObject({ name: 'FC.FunctionTimeout', message: 'Function timed out after 2 seconds' });
    expect(invocations[0]?.durationMs).toBe(2000);
  });

  it('an unknown function, a missing bundle, an unsupported action and a bad ARN are named errors', async () => {
    const invoke = invoker();
    expect(await invokeError(invoke, { resourceArn: fc3('riflow-nope') })).toMatchObject({
      name: 'FC.FunctionNotFound',
      message: 'no fc3 resource in s.yaml has functionName "riflow-nope"',
    });
    expect(await invokeError(invoke, { resourceArn: fc3('riflow-missing-code') })).toMatchObject({
      name: 'FC.FunctionNotFound',
      message: expect.stringMatching(/handler index.handler not found in .*does-not-exist \(was the bundle built\?\)/),
    });
    expect(await invokeError(invoke, { resourceArn: 'arn:aws:lambda:x' })).toMatchObject({ name: 'FC.FunctionNotFound', message: expect.stringMatching(/is not an FC function ARN/) });
    await expect(invoke({ ...request({}), action: 'VPC:DescribeRouterInterfaces' })).rejects.toMatchObject({ name: 'FnF.UnsupportedAction' });
  });

  it('refuses s.yaml variables it cannot resolve locally, saying which field', async () => {
    const error = await invokeError(invoker(), { resourceArn: fc3('riflow-unresolvable') });
    expect(error.message).toBe("resources.unresolvable.props.code: cannot resolve ${resources.echo.output.codeDir} locally (only ${vars.x}, ${env('X', 'default')} and ${path('./x')} are supported)");
  });

  it('supports callback-style handlers, .mjs handlers, and FC\'s result conversions', async () => {
    const invoke = invoker();
    expect(await invoke(request({ resourceArn: fc3('riflow-callback') }))).toEqual({ Body: { viaCallback: true } });
    expect(await invoke(request({ resourceArn: fc3('riflow-esm'), body: 'raw' }))).toEqual({ Body: { esm: true, size: 3 } });
    const results = await Promise.all(
      ['json-string', 'text', 'buffer', 'nothing'].map((kind) => invoke(request({ resourceArn: fc3('riflow-results'), body: { kind } }))),
    );
    expect(results).toEqual([{ Body: { parsed: true } }, { Body: 'plain text' }, { Body: { fromBuffer: 1 } }, { Body: null }]);
  });

  it('an aborted task rejects with the abort reason at once', async () => {
    const controller = new AbortController();
    const call = invoker()(request({ resourceArn: fc3('riflow-slow') }, controller.signal));
    controller.abort(new Error('stopped'));
    await expect(call).rejects.toThrow('stopped');
  });

  it('drives a whole execution: a named handler error is caught by the flow', async () => {
    const flow = flowOf(
      [
        '  - Type: Task',
        '    Name: Echo',
        '    Action: FC:InvokeFunction',
        '    Parameters:',
        `      resourceArn: ${fc3('riflow-echo')}`,
        '      invocationType: Sync',
        '      body:',
        '        status.$: $Input.status',
        '    OutputConstructor:',
        '      status.$: $Output.Body.event.status',
        '    Next: Modify',
        '  - Type: Task',
        '    Name: Modify',
        '    Action: FC:InvokeFunction',
        '    Parameters:',
        '      resourceArn: acs:fc:::services/riflow/functions/riflow-class-named-error',
        '      body:',
        '        status.$: $Input.status',
        '    Catch:',
        '      - Errors: [IncorrectStatus]',
        '        Next: Rejected',
        '        OutputConstructor:',
        '          why.$: $Context.Current.Error.Detail',
        '    End: true',
        '  - Type: Fail',
        '    Name: Rejected',
        '    Code: WrongStatus',
        '',
      ].join('\n'),
    );
    const invoke = invoker();
    const { result, events } = await runFlow(flow, { status: 'Connecting' }, {}, { invokeTask: invoke });
    expect(result).toMatchObject({ status: 'Failed', error: 'WrongStatus' });
    expect(events.find((e) => e.type === 'StateEntered' && e.state === 'Rejected')).toMatchObject({ input: { why: 'router interface is Connecting' } });
  });
});
