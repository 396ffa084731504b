import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVpcClient } from '../../src/vpc/client';
import type { VpcClientOptions } from '../../src/vpc/client';

/**
 * The client with the real pop-core RPC client over real HTTP, against a tiny node:http stand-in that answers like
 * the VPC API (fixed bodies, an HTML 502, a 503, a slow answer, a dropped socket).
 */
interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  params: URLSearchParams;
  raw: string;
}

type Responder = (request: Received, response: ServerResponse, socketOf: IncomingMessage) => void;

let server: Server;
let endpoint: string;
let responder: Responder;
const received: Received[] = [];
const credentials = { accessKeyId: 'test-ak', accessKeySecret: 'test-secret', securityToken: 'test-sts-token' };

function json(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  response.end(body);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], params: new URLSearchParams(raw), raw };
      received.push(entry);
      responder(entry, response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

function client(extra: Partial<VpcClientOptions> = {}) {
  return createVpcClient({ endpoint, credentials, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 2_000, ...extra });
}

/** Recomputes the V1 signature (reference §5.3) from what the server received. */
function expectedSignature(method: string, params: URLSearchParams, secret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonical = [...params.entries()]
    .filter(([key]) => key !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .join('&');
  const stringToSign = `${method}&${encode('/')}&${encode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

describe('pop-core over HTTP', () => {
  it('POSTs a signed form and reads a describe answer, big integers included', async () => {
    responder = (_request, response) =>
      json(
        response,
        200,
        '{"RequestId":"REQ-OK","TotalCount":1,"RouterInterfaceSet":{"RouterInterfaceType":[{"RouterInterfaceId":"ri-abc","Status":"Active","Spec":"Large.2","Role":"InitiatingSide","BusinessStatus":"Normal","Bandwidth":2000,"OppositeInterfaceId":"ri-peer","OppositeInterfaceStatus":"Active","OppositeInterfaceOwnerId":253460731706911258}]}}',
      );
    const result = await client().describe('cn-hangzhou', 'ri-abc');
    expect(result).toStrictEqual({
      requestId: 'REQ-OK',
      routerInterface: {
        routerInterfaceId: 'ri-abc',
        status: 'Active',
        spec: 'Large.2',
        role: 'InitiatingSide',
        businessStatus: 'Normal',
        bandwidth: 2000,
        oppositeInterfaceId: 'ri-peer',
        oppositeInterfaceStatus: 'Active',
        oppositeInterfaceOwnerId: '253460731706911258',
      },
    });
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/', contentType: 'application/x-www-form-urlencoded' });
    const params = request!.params;
    expect(Object.fromEntries(params)).toMatchObject({
      Action: 'DescribeRouterInterfaces',
      Version: '2016-04-28',
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      PageNumber: '1',
      PageSize: '50',
      'Filter.1.Key': 'RouterInterfaceId',
      'Filter.1.Value.1': 'ri-abc',
      AccessKeyId: 'test-ak',
      SecurityToken: 'test-sts-token',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
    });
    expect(params.get('Signature')).toBe(expectedSignature('POST', params, 'test-secret'));
    expect(request!.raw).not.toContain('test-secret');
  });

  it('turns an error body into a VpcError with status and RequestId, without retrying a conflict', async () => {
    responder = (_request, response) =>
      json(response, 400, '{"RequestId":"REQ-400","HostId":"vpc.aliyuncs.com","Code":"IncorrectStatus","Message":"RouterInterface can be operated by this action only when it\'s status is Active."}');
    const error = await client().deactivate('cn-hangzhou', 'ri-abc').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StatusConflict', code: 'IncorrectStatus', errorClass: 'conflict', httpStatus: 400, requestId: 'REQ-400' });
    expect(String((error as Error).message)).not.toContain('test-sts-token');
    expect(received).toHaveLength(1);
  });

  it('splits Forbidden.OnlyOneConnection by message', async () => {
    responder = (_request, response) =>
      json(response, 400, '{"RequestId":"R","Code":"Forbidden.OnlyOneConnection","Message":"Cannot connect concurrently between same routers"}');
    await expect(client().connect('cn-hangzhou', 'ri-abc')).rejects.toMatchObject({ name: 'StatusConflict', code: 'Forbidden.OnlyOneConnection', errorClass: 'conflict' });
  });

  it('treats an HTML 502 page as a transient BadGatewayResponse and retries it', async () => {
    responder = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>502 Bad Gateway</body></html>');
    };
    await expect(client().activate('cn-hangzhou', 'ri-abc')).rejects.toMatchObject({ name: 'TransientFailure', code: 'BadGatewayResponse', errorClass: 'transient' });
    expect(received).toHaveLength(2);
  });

  it('treats a 503 without Code as a failure, never a success', async () => {
    responder = (_request, response) => json(response, 503, '{"RequestId":"REQ-503"}');
    await expect(client().connect('cn-hangzhou', 'ri-abc')).rejects.toMatchObject({ name: 'TransientFailure', code: 'BadGatewayResponse', httpStatus: 503, requestId: 'REQ-503' });
  });

  it('retries ServiceUnavailable and then succeeds', async () => {
    let calls = 0;
    responder = (_request, response) => {
      calls += 1;
      if (calls === 1) json(response, 503, '{"RequestId":"R1","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}');
      else json(response, 200, '{"RequestId":"R2","Spec":"Large.1"}');
    };
    await expect(client().modifySpec('cn-hangzhou', 'ri-abc', 'Large.1', 'rf-1')).resolves.toEqual({ requestId: 'R2', spec: 'Large.1' });
    expect(received.map((request) => request.params.get('ClientToken'))).toEqual(['rf-1', 'rf-1']);
  });

  it('gives up on a slow answer with RequestTimeout', async () => {
    responder = (_request, response) => {
      const timer = setTimeout(() => json(response, 200, '{"RequestId":"late"}'), 1_000);
      response.on('close', () => clearTimeout(timer));
    };
    const started = Date.now();
    await expect(client({ timeoutMs: 150, retry: { maxAttempts: 1 } }).connect('cn-hangzhou', 'ri-abc')).rejects.toMatchObject({
      name: 'TransientFailure', code: 'RequestTimeout',
      errorClass: 'transient',
    });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports a dropped socket as NetworkError', async () => {
    responder = (_request, _response, request) => request.socket.destroy();
    await expect(client().connect('cn-hangzhou', 'ri-abc')).rejects.toMatchObject({ name: 'TransientFailure', code: 'NetworkError', errorClass: 'transient' });
    expect(received).toHaveLength(2);
  });

  it('reports a refused connection as NetworkError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await client({ endpoint: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } })
      .connect('cn-hangzhou', 'ri-abc')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransientFailure', code: 'NetworkError', apiMessage: 'ConnectRouterInterface: ECONNREFUSED' });
  });
});
