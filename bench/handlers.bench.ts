/**
 * FC handler bundles: size and cold start. riflow's handlers are measured as shipped in dist/functions; the
 * references are bundled as scripts/build.mjs does (esbuild, CJS, minified) into a temp directory. Each is started
 * in a fresh `node` process that requires it and answers one event against a tiny local fake VPC endpoint. Two references: an empty handler (the floor) and the connect handler
 * written with the official Tea SDK (@alicloud/vpc20160428). Temp files live under os.tmpdir() only.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { median } from './types';
import type { BenchTable, Benchmark } from './types';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
const RUNS = 7;
const SIZE_TARGET_BYTES = 80 * 1024;

interface Subject {
  label: string;
  entry: string;
  /** riflow's handlers are measured as shipped (dist/functions), not rebuilt here. */
  shipped?: string;
  event: object;
}

const target = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-bench0000000000001' };
/** The bundle `npm run build` ships for a function (npm run bench builds first). */
function shippedBundle(name: string): string {
  return join(root, 'dist', 'functions', name, 'index.js');
}

const SUBJECTS: Subject[] = [
  { label: 'empty handler (floor)', entry: join(root, 'bench', 'handlers', 'empty-handler.cjs'), event: target },
  { label: 'one raw node:http call (reference)', entry: join(root, 'bench', 'handlers', 'raw-http-handler.cjs'), event: target },
  ...['connect', 'activate', 'deactivate', 'describe'].map((name) => ({ label: name, entry: join(root, 'functions', name, 'index.ts'), shipped: shippedBundle(name), event: target })),
  { label: 'modify-spec', entry: join(root, 'functions', 'modify-spec', 'index.ts'), shipped: shippedBundle('modify-spec'), event: { ...target, spec: 'Large.1', executionName: 'bench' } },
  { label: 'connect, Tea SDK', entry: join(root, 'bench', 'handlers', 'tea-connect-handler.cjs'), event: target },
];

/** Answers like the VPC API: a describe shows an Active interface, every action succeeds. */
function fakeEndpoint(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? request.headers['x-acs-action'];
      const answer =
        action === 'DescribeRouterInterfaces'
          ? { RequestId: 'BENCH', TotalCount: 1, RouterInterfaceSet: { RouterInterfaceType: [{ RouterInterfaceId: target.routerInterfaceId, Status: 'Active', Spec: 'Large.1' }] } }
          : { RequestId: 'BENCH', Spec: 'Large.1' };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// performance.now() counts from process start: `ready` = the bundle is loaded, `answered` = one event answered.
const PROBE = `
const ready0 = performance.now();
const bundle = require(process.argv[1]);
const ready = performance.now();
const ctx = { requestId: 'bench', function: { name: 'bench', timeout: 10 } };
Promise.resolve(bundle.handler(Buffer.from(process.argv[2]), ctx)).then(
  (result) => { console.error(JSON.stringify(result)); console.log(JSON.stringify({ start: ready0, ready, answered: performance.now() })); process.exit(0); },
  (error) => { console.error(error); process.exit(1); },
);`;

interface ColdStart {
  wallMs: number;
  loadAndAnswerMs: number;
}

async function coldStart(bundle: string, event: object, endpoint: string): Promise<ColdStart> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['-e', PROBE, bundle, JSON.stringify(event)], {
    cwd: tmpdir(),
    timeout: 20_000,
    env: {
      PATH: process.env.PATH ?? '',
      RIFLOW_VPC_ENDPOINT: endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'bench-ak',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench-secret',
    },
  });
  const wallMs = performance.now() - started;
  // The handlers write their own log line to stdout first; the probe's figures are the last line.
  const times = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { start: number; answered: number };
  return { wallMs, loadAndAnswerMs: times.answered - times.start };
}

const round = (value: number) => Math.round(value * 10) / 10;

const benchmark: Benchmark = {
  name: 'handlers',
  async run(): Promise<BenchTable[]> {
    const outDir = mkdtempSync(join(tmpdir(), 'riflow-bench-handlers-'));
    const server = await fakeEndpoint();
    try {
      const bundles = await Promise.all(
        SUBJECTS.map(async (subject, index) => {
          const outfile = join(outDir, String(index), 'index.js');
          if (subject.shipped) {
            // Copied next to the others, so every subject starts from a folder with no package.json around it.
            mkdirSync(dirname(outfile), { recursive: true });
            copyFileSync(subject.shipped, outfile);
            return { ...subject, outfile, bytes: statSync(outfile).size };
          }
          await build({
            entryPoints: [subject.entry],
            outfile,
            absWorkingDir: root,
            bundle: true,
            platform: 'node',
            target: 'node20',
            format: 'cjs',
            minify: true,
            legalComments: 'none',
            logLevel: 'error',
          });
          return { ...subject, outfile, bytes: statSync(outfile).size };
        }),
      );
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const samples = new Map<string, ColdStart[]>(bundles.map((b) => [b.label, []]));
      // Interleaved so that machine noise spreads evenly over the subjects.
      for (let runIndex = 0; runIndex < RUNS; runIndex++) {
        for (const bundle of bundles) samples.get(bundle.label)!.push(await coldStart(bundle.outfile, bundle.event, endpoint));
      }
      const medians = new Map(
        bundles.map((b) => {
          const list = samples.get(b.label)!;
          return [b.label, { wall: median(list.map((s) => s.wallMs)), inside: median(list.map((s) => s.loadAndAnswerMs)) }];
        }),
      );
      const floor = medians.get('empty handler (floor)')!;
      const tea = medians.get('connect, Tea SDK')!;
      const ours = bundles.filter((b) => !b.label.includes('(floor)') && !b.label.includes('(reference)') && !b.label.includes('Tea'));
      const sizeMet = ours.every((b) => b.bytes <= SIZE_TARGET_BYTES);
      const worstWallRatio = Math.max(...ours.map((b) => medians.get(b.label)!.wall / floor.wall));
      const connect = medians.get('connect')!;
      const teaSpeedupWall = tea.wall / connect.wall;
      const teaSpeedupInside = tea.inside / connect.inside;
      const rows = bundles.map((b) => {
        const m = medians.get(b.label)!;
        return [b.label, round(b.bytes / 1024), round(m.wall), round(m.wall / floor.wall), round(m.inside), round(m.inside / floor.inside)];
      });
      const columns = ['handler', 'bundle KB', 'cold start ms (process wall)', '× floor', 'load + answer ms (in process)', '× floor'];
      return [
        {
          title: 'FC handler bundles and cold start',
          method: `riflow's handlers as shipped in dist/functions (the reference handlers bundled with esbuild the same way), then started ${RUNS} times in a fresh node process that requires it and answers one event against a local fake VPC endpoint; medians. "Process wall" includes Node's own start-up; "in process" is from process start to the answer.`,
          columns,
          rows,
          target: `every handler ≤ 80 KB; cold start ≤ 1.3× the empty handler; ≥ 3× faster than the Tea SDK handler`,
          met: sizeMet && worstWallRatio <= 1.3 && teaSpeedupInside >= 3,
          notes: [
            `Largest handler bundle: ${round(Math.max(...ours.map((b) => b.bytes)) / 1024)} KB (Tea SDK connect: ${round(bundles.find((b) => b.label.includes('Tea'))!.bytes / 1024)} KB).`,
            `Worst cold start vs the floor (process wall): ${round(worstWallRatio)}×. The floor makes no request; one bare node:http call already costs ${round(medians.get('one raw node:http call (reference)')!.wall / floor.wall)}× the floor.`,
            `connect vs Tea SDK connect: ${round(teaSpeedupWall)}× faster (process wall), ${round(teaSpeedupInside)}× faster (load + answer in process); the 3× target is judged on the in-process figure, since Node's own start-up is the same for both.`,
            `Node ${process.version}; fake endpoint on 127.0.0.1.`,
          ],
        },
      ];
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
