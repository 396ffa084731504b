import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlain } from '../../src/rpc/plain';

/**
 * The handler bundles carry lighter stand-ins for some of pop-core's dependencies (scripts/handler-stubs.mjs).
 * Each is held here to the real module, for what riflow uses of it: the JSON parser against pop-core's own
 * json-bigint, the URL parser against url.parse() for what httpx reads, the config check against node:assert
 * through pop-core, and the shipped bundles against a server that answers big integers, a compressed body and an
 * HTML page, and a port where nothing listens.
 */
const root = join(import.meta.dirname, '..', '..');
type Parse = (text: string | Buffer) => unknown;
const requireHere = createRequire(import.meta.url);
// The json-bigint pop-core itself resolves, not a copy of our own.
const requireFromPopCore = createRequire(requireHere.resolve('@alicloud/pop-core'));
const realParse = (requireFromPopCore('json-bigint') as { parse: Parse }).parse;
const stubParse = (requireHere(join(root, 'scripts', 'stubs', 'json-bigint.cjs')) as { parse: Parse }).parse;

function outcome(parse: Parse, text: string): unknown {
  try {
    return { value: toPlain(parse(text)) };
  } catch (error) {
    return { thrown: (error as { name?: unknown }).name };
  }
}

// json-bigint refuses any key that contains these (src/rpc/plain.ts copies keys onto plain objects).
const ordinaryKey = fc.string().filter((key) => !key.includes('__proto__') && !key.includes('constructor'));
/** Integers past 2^53, written unquoted, as an 18-digit OppositeInterfaceOwnerId is; up to 21 digits (see below). */
const bigInteger = fc.bigInt({ min: -(10n ** 21n) + 1n, max: 10n ** 21n - 1n });
const { body } = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), bigInteger),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(ordinaryKey, tie('node'), { maxKeys: 4 })),
  body: fc.dictionary(ordinaryKey, tie('node'), { maxKeys: 6 }),
}));
const BIG = '\u0000big:';
/** JSON text with every bigint written as a bare number literal. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${BIG}${item}` : item)).replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

describe('the json-bigint stand-in', () => {
  it('parses any JSON body to what json-bigint gives, big integers and long decimals as their exact digits', () => {
    fc.assert(
      fc.property(body, (value) => {
        const text = jsonText(value);
        expect(outcome(stubParse, text)).toStrictEqual(outcome(realParse, text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an unquoted account id exact where JSON.parse would round it', () => {
    const text = '{"RouterInterfaceSet":{"RouterInterfaceType":[{"OppositeInterfaceOwnerId":253460731706911258,"Bandwidth":2000}]}}';
    const expected = { RouterInterfaceSet: { RouterInterfaceType: [{ OppositeInterfaceOwnerId: '253460731706911258', Bandwidth: 2000 }] } };
    expect(toPlain(stubParse(Buffer.from(text)))).toStrictEqual(expected);
    expect(toPlain(realParse(text))).toStrictEqual(expected);
    expect(String(JSON.parse(text).RouterInterfaceSet.RouterInterfaceType[0].OppositeInterfaceOwnerId)).toBe('253460731706911260');
  });

  it('leaves digits inside strings, escaped quotes included, alone', () => {
    const text = '{"Description":"id \\"12345678901234567890\\" \\\\","Id":12345678901234567890}';
    expect(toPlain(stubParse(text))).toStrictEqual({ Description: 'id "12345678901234567890" \\', Id: '12345678901234567890' });
    expect(toPlain(stubParse(text))).toStrictEqual(toPlain(realParse(text)));
  });

  it('keeps every digit past 21, where json-bigint switches to exponent notation', () => {
    const text = '{"OrderId":1234567890123456789012345}';
    expect(toPlain(stubParse(text))).toStrictEqual({ OrderId: '1234567890123456789012345' });
    expect(toPlain(realParse(text))).toStrictEqual({ OrderId: '1.234567890123456789012345e+24' });
  });

  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
    ['a truncated body', '{"RequestId":"R","Code":'],
    ['trailing garbage', '{"RequestId":"R"} x'],
    ['a __proto__ key', '{"__proto__":{"Code":"IncorrectStatus"}}'],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"Code":"IncorrectStatus"}}'],
    ['a constructor key', '{"constructor":{"prototype":{}}}'],
  ])('refuses %s with a SyntaxError, as json-bigint does', (_label, text) => {
    expect(outcome(stubParse, text)).toStrictEqual({ thrown: 'SyntaxError' });
    expect(outcome(realParse, text)).toStrictEqual({ thrown: 'SyntaxError' });
  });
});

describe('the node:url stand-in in httpx', () => {
  type UrlModule = { parse(text: string): Record<string, unknown>; format(parsed: Record<string, unknown>): string };
  const stub = requireHere(join(root, 'scripts', 'stubs', 'url.cjs')) as UrlModule;
  const legacy = requireHere('node:url') as UrlModule;
  // What httpx reads of a parsed URL (lib/index.js): the protocol picks http or https, then host, port, path.
  const requestTarget = (parsed: Record<string, unknown>) => {
    const https = parsed.protocol === 'https:';
    return { https, host: parsed.hostname || 'localhost', port: Number(parsed.port || (https ? 443 : 80)), path: parsed.path || '/' };
  };

  it.each([
    'https://vpc.cn-hangzhou.aliyuncs.com/',
    'https://VPC.aliyuncs.com/',
    'https://cn-hangzhou.fnf.aliyuncs.com:443/',
    'http://127.0.0.1:41234/',
    'https://127.0.0.1:8443/',
    'http://[::1]:41234/',
    'http://localhost:8080/?Action=DescribeRouterInterfaces&RegionId=cn-hangzhou',
  ])('sends a request for %s where url.parse() would', (endpoint) => {
    expect(requestTarget(stub.parse(endpoint))).toStrictEqual(requestTarget(legacy.parse(endpoint)));
    expect(new URL(stub.format(stub.parse(endpoint))).href).toBe(new URL(legacy.format(legacy.parse(endpoint))).href);
  });
});

describe("pop-core's config checks with the node:assert stand-in", () => {
  let bundled: new (config: object) => unknown;
  let real: new (config: object) => unknown;

  beforeAll(async () => {
    const { handlerStubs } = (await import(pathToFileURL(join(root, 'scripts', 'handler-stubs.mjs')).href)) as { handlerStubs(): Plugin };
    const result = await build({
      entryPoints: [requireHere.resolve('@alicloud/pop-core/lib/rpc')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      plugins: [handlerStubs()],
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\("(node:)?assert"\)/);
    const module = { exports: {} as unknown };
    new Function('module', 'exports', 'require', code)(module, module.exports, requireHere);
    bundled = module.exports as typeof bundled;
    real = requireHere('@alicloud/pop-core/lib/rpc') as typeof real;
  });

  it.each([
    ['no endpoint', {}],
    ['no API version', { endpoint: 'https://vpc.aliyuncs.com' }],
    ['no credentials', { endpoint: 'https://vpc.aliyuncs.com', apiVersion: '2016-04-28' }],
  ])('refuses a config with %s exactly as with node:assert', (_label, config) => {
    const failure = (Client: new (config: object) => unknown) => {
      try {
        new Client(config);
        return 'accepted';
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message, code: (error as { code?: unknown }).code };
      }
    };
    expect(failure(bundled)).toStrictEqual(failure(real));
    expect(failure(bundled)).toMatchObject({ name: 'AssertionError', code: 'ERR_ASSERTION' });
  });
});

describe('the shipped bundles with the stand-ins', () => {
  const run = promisify(execFile);
  let server: Server;
  let endpoint: string;
  let dir: string;
  let answer: (action: string) => { body: string; headers?: Record<string, string>; status?: number };
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'riflow-bundle-stubs-'));
    copyFileSync(join(root, 'dist', 'functions', 'describe', 'index.js'), join(dir, 'describe.js'));
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        seen.push(request.headers);
        const { body, headers = {}, status = 200 } = answer(new URLSearchParams(text).get('Action') ?? '');
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(headers['content-encoding'] === 'gzip' ? gzipSync(body) : body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  // Runs the describe bundle in a fresh process; prints the result (or the error) and the builtins it loaded
  // on the way (after node's own start-up).
  const PROBE = `
const before = new Set(process.moduleLoadList);
const { handler } = require(process.argv[1]);
const loaded = () => process.moduleLoadList.filter((name) => !before.has(name) && name.startsWith('NativeModule '));
const report = (outcome) => console.log(JSON.stringify({ outcome, loaded: loaded() }));
handler(Buffer.from('{"regionId":"cn-hangzhou","routerInterfaceId":"ri-stub0000000000001"}'), { requestId: 'r', function: { name: 'f', timeout: 5 } })
  .then((result) => report(result), (error) => report({ error: error.name, code: error.code, cause: error.cause?.message }));`;

  async function describeBundle(extraEnv: Record<string, string> = {}): Promise<{ outcome: unknown; loaded: string[] }> {
    const { stdout } = await run(process.execPath, ['-e', PROBE, join(dir, 'describe.js')], {
      timeout: 15_000,
      env: {
        PATH: process.env.PATH ?? '',
        RIFLOW_VPC_ENDPOINT: endpoint,
        RIFLOW_HANDLER_LOG: 'off',
        RIFLOW_CLIENT_MAX_ATTEMPTS: '1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'ak',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
        ...extraEnv,
      },
    });
    return JSON.parse(stdout.trim()) as { outcome: unknown; loaded: string[] };
  }

  const describeAnswer = (oppositeInterfaceId: string) =>
    `{"RequestId":"REQ","TotalCount":1,"RouterInterfaceSet":{"RouterInterfaceType":[{"RouterInterfaceId":"ri-stub0000000000001","Status":"Active","Spec":"Large.1","Role":"InitiatingSide","BusinessStatus":"Normal","OppositeInterfaceId":${oppositeInterfaceId}}]}}`;

  it('reads an unquoted big integer exactly, loads neither node:assert nor node:zlib, and sends pop-core’s own user agent', async () => {
    const code = readFileSync(join(dir, 'describe.js'), 'utf8');
    seen.length = 0;
    answer = () => ({ body: describeAnswer('253460731706911258') });
    const { outcome, loaded } = await describeBundle();
    expect(outcome).toMatchObject({ status: 'Active', oppositeInterfaceId: '253460731706911258' });
    expect(loaded).not.toContain('NativeModule assert');
    expect(loaded).not.toContain('NativeModule zlib');
    expect(code).not.toMatch(/require\("(node:)?url"\)/);
    const helper = requireHere('@alicloud/pop-core/lib/helper') as { DEFAULT_UA: string; DEFAULT_CLIENT: string };
    expect(seen[0]).toMatchObject({ 'user-agent': helper.DEFAULT_UA, 'x-sdk-client': helper.DEFAULT_CLIENT });
  });

  it('inflates a gzip-compressed answer, loading node:zlib for it', async () => {
    answer = () => ({ body: describeAnswer('"ri-peer"'), headers: { 'content-encoding': 'gzip' } });
    const { outcome, loaded } = await describeBundle();
    expect(outcome).toMatchObject({ status: 'Active', oppositeInterfaceId: 'ri-peer' });
    expect(loaded).toContain('NativeModule zlib');
  });

  it('reports a port where nothing listens as a network failure, httpx naming the URL in the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { outcome } = await describeBundle({ RIFLOW_VPC_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(outcome).toMatchObject({ error: 'TransientFailure', code: 'NetworkError' });
    expect((outcome as { cause: string }).cause).toContain(`POST http://127.0.0.1:${port}/ failed.`);
  });

  it('takes an HTML 502 page for a transient gateway failure', async () => {
    answer = () => ({ body: '<html><body>502 Bad Gateway</body></html>', headers: { 'content-type': 'text/html' }, status: 502 });
    expect((await describeBundle()).outcome).toMatchObject({ error: 'TransientFailure', code: 'BadGatewayResponse' });
  });
});
