import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/cli/graph/model';
import { validateWorkflowInput } from '../../src/cloudflow/workflow-input';
import type { ExecutionDetail, ExecutionSummary, FeedMessages, FlowInfo } from '../../src/console/protocol';
import { loadFlowFile } from '../../src/flow/loader';
import { DEMO_INITIATOR_ID, demoInput } from './fixtures';
import { pageHeaders, raw, readFeed, ROOT, startTestConsole, type FeedReader, type TestConsole } from './harness';

let consoleServer: TestConsole;
let base: string;
const auth = (): Record<string, string> => ({ authorization: `Bearer ${consoleServer.token}` });

beforeAll(async () => {
  consoleServer = await startTestConsole();
  base = `${consoleServer.url}/_console/api/`;
});
afterAll(() => consoleServer.close());

async function getJson<T>(path: string): Promise<T> {
  const response = await raw(`${base}${path}`, { headers: auth() });
  expect(response.status, `${path}: ${response.body}`).toBe(200);
  return response.json() as T;
}

function post(path: string, body: unknown): ReturnType<typeof raw> {
  return raw(`${base}${path}`, { method: 'POST', headers: pageHeaders(consoleServer), body: JSON.stringify(body) });
}

describe('GET flows', () => {
  it('serves every flow of s.yaml as the graph riflow graph builds, with a demo input its own check accepts', async () => {
    const { flows } = await getJson<{ flows: FlowInfo[] }>('flows');
    expect(flows.map((flow) => flow.name).sort()).toEqual(['riflow-batch-modify-spec', 'riflow-connect-and-modify-spec', 'riflow-deactivate', 'riflow-fleet-modify-spec', 'riflow-modify-spec']);
    const connect = flows.find((flow) => flow.name === 'riflow-connect-and-modify-spec') as FlowInfo;
    const expected = buildGraph(await loadFlowFile(join(ROOT, 'workflows', 'connect-and-modify-spec.yaml')));
    expect(connect.graph.nodes).toEqual(expected.nodes);
    expect(connect.graph.edges).toEqual(expected.edges);
    expect(connect.graph.index).toEqual(Object.fromEntries(expected.index));
    expect(connect.file).toBe(join('workflows', 'connect-and-modify-spec.yaml'));
    expect(connect.demoInput).toEqual(demoInput());
    for (const flow of flows) expect(() => validateWorkflowInput(flow.name, flow.demoInput), flow.name).not.toThrow();
    const batch = flows.find((flow) => flow.name === 'riflow-batch-modify-spec') as FlowInfo;
    expect(batch.graph.clusters.length).toBeGreaterThan(0);
  });
});

describe('POST executions', () => {
  it('refuses a bad input with the field and the rule, and starts nothing', async () => {
    const before = (await getJson<{ executions: ExecutionSummary[] }>('executions')).executions.length;
    const bad = await post('executions', { flow: 'riflow-batch-modify-spec', input: { changes: [demoInput(), { ...demoInput(), spec: 'large.1' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'InvalidInput', field: 'changes[1].spec', rule: 'enum' } });
    expect((bad.json() as { error: { message: string } }).error.message).toContain('did you mean "Large.1"');
    const badName = await post('executions', { flow: 'riflow-modify-spec', name: '-starts-with-a-dash', input: demoInput() });
    expect(badName.json()).toMatchObject({ error: { field: 'name', rule: 'execution-name' } });
    const unknownFlow = await post('executions', { flow: 'riflow-nope', input: demoInput() });
    expect(unknownFlow.json()).toMatchObject({ error: { field: 'flow' } });
    const notJson = await raw(`${base}executions`, { method: 'POST', headers: pageHeaders(consoleServer), body: '{"flow":' });
    expect(notJson.json()).toMatchObject({ error: { code: 'InvalidJson' } });
    expect((await getJson<{ executions: ExecutionSummary[] }>('executions')).executions.length).toBe(before);
  });

  it('starts the demo run through the local CloudFlow API and serves its history', async () => {
    const started = await post('executions', { flow: 'riflow-connect-and-modify-spec', name: 'api-demo-run', input: demoInput() });
    expect(started.status).toBe(200);
    await consoleServer.emulator.cloudflow?.executions.settled();
    const detail = await getJson<ExecutionDetail>('executions/riflow-connect-and-modify-spec/api-demo-run');
    expect(detail).toMatchObject({ name: 'api-demo-run', status: 'Succeeded', source: 'cloudflow' });
    expect(detail.events[0]?.type).toBe('ExecutionStarted');
    expect(detail.events.at(-1)?.type).toBe('ExecutionSucceeded');
    // The CloudFlow API saw the calls (the console is a signed client of it).
    const actions = consoleServer.emulator.control.calls().map((call) => call.action);
    expect(actions).toContain('StartExecution');
    expect(actions).toContain('DescribeExecution');
    const again = await post('executions', { flow: 'riflow-connect-and-modify-spec', name: 'api-demo-run', input: demoInput() });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'ExecutionAlreadyExists' } });
    const { executions } = await getJson<{ executions: ExecutionSummary[] }>('executions');
    expect(executions.filter((execution) => execution.name === 'api-demo-run')).toEqual([
      expect.objectContaining({ source: 'cloudflow', status: 'Succeeded', flowName: 'riflow-connect-and-modify-spec' }),
    ]);
    const interfaces = await getJson<{ interfaces: Array<{ routerInterfaceId: string; status: string; spec: string }> }>('interfaces');
    expect(interfaces.interfaces.find((ri) => ri.routerInterfaceId === DEMO_INITIATOR_ID)).toMatchObject({ status: 'Active', spec: demoInput().spec });
  });
});

describe('past executions in .riflow/executions', () => {
  it('lists a corrupt history with the line where it broke, and refuses to replay it with that line', async () => {
    const good = [
      { v: 1, seq: 1, time: '2026-01-01T00:00:00.000Z', execution: 'from-a-file', type: 'ExecutionStarted', flow: 'riflow-deactivate', input: {} },
      { v: 1, seq: 2, time: '2026-01-01T00:00:01.000Z', execution: 'from-a-file', type: 'ExecutionSucceeded', output: {} },
    ];
    writeFileSync(join(consoleServer.historyDir, 'from-a-file.ndjson'), good.map((event) => JSON.stringify(event)).join('\n') + '\n');
    writeFileSync(join(consoleServer.historyDir, 'broken-run.ndjson'), `${JSON.stringify(good[0])}\n{"v":1,"seq":2,\n`);
    const { executions } = await getJson<{ executions: ExecutionSummary[] }>('executions');
    expect(executions.find((execution) => execution.name === 'from-a-file')).toMatchObject({ source: 'file', status: 'Succeeded', flowName: 'riflow-deactivate' });
    expect(executions.find((execution) => execution.name === 'broken-run')).toMatchObject({ source: 'file', status: 'Corrupt', problem: { line: 2 } });
    const replay = await getJson<ExecutionDetail>('history/from-a-file');
    expect(replay.events.map((event) => event.type)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    const broken = await raw(`${base}history/broken-run`, { headers: auth() });
    expect(broken.status).toBe(422);
    expect(broken.json()).toMatchObject({ error: { code: 'CorruptHistory', line: 2 } });
    expect((await raw(`${base}history/..%2Fs`, { headers: auth() })).status).toBe(404);
  });
});

describe('fault rules', () => {
  it('adds a checked rule, refuses a bad one naming its field, and removes them', async () => {
    const bad = await post('faults', { action: 'ConnectRouterInterface', probability: 2, error: { code: 'X', status: 400 } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'InvalidInput', field: 'fault.probability' } });
    const added = await post('faults', { action: 'ConnectRouterInterface', calls: '0', error: { code: 'Throttling.User', status: 400 } });
    const [rule] = (added.json() as { faults: Array<{ id: string }> }).faults;
    expect(consoleServer.emulator.control.faults().map((fault) => fault.id)).toEqual([rule?.id]);
    const removed = await raw(`${base}faults/${rule?.id}`, { method: 'DELETE', headers: pageHeaders(consoleServer) });
    expect(removed.json()).toEqual({ faults: [] });
    expect((await raw(`${base}faults/nope`, { method: 'DELETE', headers: pageHeaders(consoleServer) })).status).toBe(404);
  });
});

describe('the feed', () => {
  it('streams the interfaces at once, then every event of a run and its end', async () => {
    const feed = await readFeed(consoleServer);
    await feed.until(() => feed.messages.some((message) => message.type === 'interfaces'));
    await post('executions', { flow: 'riflow-deactivate', name: 'feed-run', input: { regionId: demoInput().regionId, routerInterfaceId: DEMO_INITIATOR_ID } });
    await feed.until(() => feed.messages.some((message) => message.type === 'execution' && (message.data as FeedMessages['execution']).status !== 'Running'));
    feed.close();
    const runMessages = feed.messages.filter((message) => message.type === 'execution').map((message) => message.data as FeedMessages['execution']);
    expect(runMessages.every((message) => message.name === 'feed-run' && message.flowName === 'riflow-deactivate')).toBe(true);
    const types = runMessages.flatMap((message) => (message.event ? [message.event.type] : []));
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskScheduled');
    expect(types.at(-1)).toMatch(/^Execution(Succeeded|Failed)$/);
    expect(runMessages.at(-1)?.event).toBeUndefined();
  });

  it('streams a fleet run as ListExecutions lists it: the parent, not its distributed Map sub-executions', async () => {
    const { flows } = await getJson<{ flows: FlowInfo[] }>('flows');
    const fleet = flows.find((flow) => flow.name === 'riflow-fleet-modify-spec') as FlowInfo;
    const feed = await readFeed(consoleServer);
    await feed.until(() => feed.messages.some((message) => message.type === 'interfaces'));
    await post('executions', { flow: fleet.name, name: 'feed-fleet', input: fleet.demoInput });
    await feed.until(() => feed.messages.some((message) => message.type === 'execution' && (message.data as FeedMessages['execution']).status !== 'Running'));
    feed.close();
    const runMessages = feed.messages.filter((message) => message.type === 'execution').map((message) => message.data as FeedMessages['execution']);
    expect(new Set(runMessages.map((message) => message.name))).toEqual(new Set(['feed-fleet']));
    expect(runMessages.at(-1)?.status).toBe('Succeeded');
    const mapRun = runMessages.flatMap((message) => (message.event?.type === 'MapRunStarted' ? [message.event.mapRunName] : []));
    expect(mapRun).toHaveLength(1);
    const subExecutions = consoleServer.emulator.cloudflow?.executions.listMapRun(fleet.name, mapRun[0] ?? '') ?? [];
    expect(subExecutions.map((execution) => execution.status)).toEqual(['Succeeded']);
    const listed = (await getJson<{ executions: ExecutionSummary[] }>('executions')).executions.map((execution) => execution.name);
    expect(listed).toContain('feed-fleet');
    expect(listed).not.toContain(subExecutions[0]?.name);
  });

  it('sends a change to every open page, whenever each one opened', async () => {
    const faultIds = (feed: FeedReader): string[][] =>
      feed.messages.filter((message) => message.type === 'faults').map((message) => (message.data as FeedMessages['faults']).faults.map((rule) => rule.id ?? ''));
    const first = await readFeed(consoleServer);
    await first.until(() => faultIds(first).length === 1);
    await post('faults', { action: 'DescribeRouterInterfaces', calls: '99', error: { code: 'Throttling.User', status: 400 } });
    await first.until(() => faultIds(first).length === 2);
    const second = await readFeed(consoleServer);
    await second.until(() => faultIds(second).length === 1);
    expect(faultIds(second)[0]).toEqual(faultIds(first)[1]);
    await post('faults', { action: 'DescribeRouterInterfaces', calls: '98', error: { code: 'Throttling.User', status: 400 } });
    await first.until(() => faultIds(first).length === 3);
    await second.until(() => faultIds(second).length === 2);
    expect(faultIds(first)[2]).toHaveLength(2);
    expect(faultIds(second)[1]).toEqual(faultIds(first)[2]);
    // A change made elsewhere (the control API, another client) reaches both pages at the next snapshot tick.
    consoleServer.emulator.control.addFault({ action: 'DescribeRouterInterfaces', calls: '97', error: { code: 'Throttling.User', status: 400 } });
    await first.until(() => faultIds(first).length === 4);
    await second.until(() => faultIds(second).length === 3);
    expect(faultIds(second)[2]).toEqual(faultIds(first)[3]);
    expect(faultIds(first)[3]).toHaveLength(3);
    first.close();
    second.close();
    consoleServer.emulator.control.clearFaults();
  });
});
