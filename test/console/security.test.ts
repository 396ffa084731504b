import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFlowClient } from '../../src/cloudflow/client';
import { DEMO_INITIATOR_ID, DEMO_REGION, demoInput } from './fixtures';
import { pageHeaders, raw, startTestConsole, type TestConsole } from './harness';

let consoleServer: TestConsole;
let base: string;

beforeAll(async () => {
  consoleServer = await startTestConsole();
  base = `${consoleServer.url}/_console/`;
});
afterAll(() => consoleServer.close());

async function executionCount(): Promise<number> {
  const listed = await raw(`${base}api/executions`, { headers: { authorization: `Bearer ${consoleServer.token}` } });
  return (listed.json() as { executions: unknown[] }).executions.length;
}

const startBody = JSON.stringify({ flow: 'riflow-connect-and-modify-spec', input: demoInput() });

describe('the console token', () => {
  it('is required on the page, its assets, the API and the feed', async () => {
    for (const path of ['', 'app.js', 'app.css', 'api/flows', 'api/executions', 'api/interfaces', 'api/faults', 'api/events']) {
      const response = await raw(`${base}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.body).toContain('token');
    }
  });

  it('refuses a wrong token, in the query, a cookie or a bearer header', async () => {
    const wrong = consoleServer.token.replace(/.$/, (last) => (last === 'a' ? 'b' : 'a'));
    expect((await raw(`${base}?token=${wrong}`)).status).toBe(401);
    expect((await raw(`${base}api/flows`, { headers: { cookie: `riflow_console_${consoleServer.port}=${wrong}` } })).status).toBe(401);
    expect((await raw(`${base}api/flows`, { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    // A guess of another length (a short one, an empty one) is refused too, not only one of the token's length.
    expect((await raw(`${base}api/flows`, { headers: { authorization: `Bearer ${consoleServer.token.slice(0, 8)}` } })).status).toBe(401);
    expect((await raw(`${base}?token=`)).status).toBe(401);
    // A cookie named for another port is another console's.
    expect((await raw(`${base}api/flows`, { headers: { cookie: `riflow_console_1=${consoleServer.token}` } })).status).toBe(401);
  });

  it('moves from the printed URL into an HttpOnly, SameSite=Strict cookie for this port, and out of the address bar', async () => {
    const opened = await raw(consoleServer.consoleUrl);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/_console/');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toContain(`riflow_console_${consoleServer.port}=${consoleServer.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw(base, { headers: { cookie: cookie.split(';')[0] as string } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<script src="app.js"');
  });
});

describe('the Host check (DNS rebinding)', () => {
  it('refuses a foreign Host on every path of the port, the emulator APIs included', async () => {
    const headers = { host: 'rebound.example.com', authorization: `Bearer ${consoleServer.token}` };
    for (const path of ['/_console/', '/_console/api/flows', '/_console/api/events', '/_emulator/health', '/_emulator/state', '/?Action=DescribeRouterInterfaces']) {
      const response = await raw(`${consoleServer.url}${path}`, { headers });
      expect(response.status, path).toBe(403);
      expect((response.json() as { error: { code: string } }).error.code).toBe('Forbidden.Host');
    }
    const otherPort = await raw(`${base}api/flows`, { headers: { ...headers, host: `127.0.0.1:${consoleServer.port + 1}` } });
    expect(otherPort.status).toBe(403);
  });

  it('accepts 127.0.0.1:PORT and localhost:PORT', async () => {
    const headers = { authorization: `Bearer ${consoleServer.token}` };
    expect((await raw(`${base}api/flows`, { headers: { ...headers, host: `127.0.0.1:${consoleServer.port}` } })).status).toBe(200);
    expect((await raw(`${base}api/flows`, { headers: { ...headers, host: `localhost:${consoleServer.port}` } })).status).toBe(200);
  });
});

describe('the Origin check (cross-site pages)', () => {
  it('refuses a state change from a foreign Origin, and nothing starts', async () => {
    const before = await executionCount();
    const response = await raw(`${base}api/executions`, { method: 'POST', headers: pageHeaders(consoleServer, { origin: 'https://evil.example' }), body: startBody });
    expect(response.status).toBe(403);
    expect((response.json() as { error: { code: string } }).error.code).toBe('Forbidden.Origin');
    expect(await executionCount()).toBe(before);
  });

  it('refuses a state change without an Origin, with a non-JSON body, or marked cross-site or same-site', async () => {
    const before = await executionCount();
    const { origin: _origin, ...noOrigin } = pageHeaders(consoleServer);
    expect((await raw(`${base}api/executions`, { method: 'POST', headers: noOrigin, body: startBody })).status).toBe(403);
    expect((await raw(`${base}api/executions`, { method: 'POST', headers: pageHeaders(consoleServer, { 'content-type': 'text/plain' }), body: startBody })).status).toBe(415);
    expect((await raw(`${base}api/executions`, { method: 'POST', headers: pageHeaders(consoleServer, { 'sec-fetch-site': 'cross-site' }), body: startBody })).status).toBe(403);
    // same-site: another port or subdomain of the same site, still not this server.
    expect((await raw(`${base}api/executions`, { method: 'POST', headers: pageHeaders(consoleServer, { 'sec-fetch-site': 'same-site' }), body: startBody })).status).toBe(403);
    expect((await raw(`${base}api/faults`, { method: 'DELETE', headers: noOrigin })).status).toBe(403);
    expect(await executionCount()).toBe(before);
  });

  it('refuses a foreign Origin on the emulator control API too (it shares the port)', async () => {
    const response = await raw(`${consoleServer.url}/_emulator/reset`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
  });

  it('starts a run for the page: its own Origin, the token and JSON', async () => {
    const response = await raw(`${base}api/executions`, { method: 'POST', headers: pageHeaders(consoleServer), body: startBody });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ flowName: 'riflow-connect-and-modify-spec', status: 'Running', source: 'cloudflow' });
    await consoleServer.emulator.cloudflow?.executions.settled();
  });
});

describe('the emulator on the same port', () => {
  it('keeps answering signed clients: the VPC API (pop-core) and the CloudFlow API', async () => {
    const vpc = new RPCClient({ endpoint: consoleServer.url, apiVersion: '2016-04-28', ...consoleServer.emulator.credentials });
    const described = (await vpc.request('DescribeRouterInterfaces', {
      RegionId: DEMO_REGION,
      'Filter.1.Key': 'RouterInterfaceId',
      'Filter.1.Value.1': DEMO_INITIATOR_ID,
    })) as { RouterInterfaceSet: { RouterInterfaceType: Array<{ RouterInterfaceId: string }> } };
    expect(described.RouterInterfaceSet.RouterInterfaceType.map((ri) => ri.RouterInterfaceId)).toEqual([DEMO_INITIATOR_ID]);
    const flow = createCloudFlowClient({ endpoint: consoleServer.url, credentials: consoleServer.emulator.credentials });
    const started = await flow.startExecution('riflow-deactivate', { regionId: DEMO_REGION, routerInterfaceId: DEMO_INITIATOR_ID }, 'signed-client-run');
    expect(started.status).toBe('Running');
    await consoleServer.emulator.cloudflow?.executions.settled();
    expect((await flow.describeExecution('riflow-deactivate', 'signed-client-run')).status).not.toBe('Running');
  });
});
