import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bundles as shipped (dist/functions, built by the test setup and by `npm run build`), copied into a bare temp
 * directory — as FC deploys a code directory, with no package.json around it — then loaded with require() in a
 * fresh Node process.
 */
const NAMES = ['connect', 'activate', 'deactivate', 'modify-spec', 'describe'];
// Issue 18's budget for a handler bundle (docs/benchmarks.md: what the bundles leave out to stay under it).
const MAX_BUNDLE_BYTES = 50 * 1024;
let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'riflow-bundles-'));
  for (const name of NAMES) {
    mkdirSync(join(outDir, name));
    copyFileSync(join('dist', 'functions', name, 'index.js'), join(outDir, name, 'index.js'));
  }
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// Loads the bundle, checks the export, and feeds it an invalid event: it must refuse it as FC would report it.
const PROBE = `
const bundle = require(process.argv[1]);
const ctx = { requestId: 'r', function: { name: 'f', timeout: 3 }, credentials: { accessKeyId: 'a', accessKeySecret: 'b' } };
bundle.handler(Buffer.from('{"routerInterfaceId":"RI-1"}'), ctx).then(
  () => console.log(JSON.stringify({ type: typeof bundle.handler, outcome: 'resolved' })),
  (error) => console.log(JSON.stringify({ type: typeof bundle.handler, outcome: error.name, className: error.constructor.name })),
);`;

describe.each(NAMES)('%s bundle', (name) => {
  it('loads with require() in a fresh process, exports handler, and refuses a bad event', () => {
    const file = join(outDir, name, 'index.js');
    const output = execFileSync(process.execPath, ['-e', PROBE, file], { encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '' } });
    const lines = output.trim().split('\n');
    // First the handler's own log line, then the probe's verdict.
    expect(JSON.parse(lines[0]!)).toMatchObject({ outcome: 'failed', errorName: 'InvalidInput' });
    // FC reports the class name as errorType: minification must not rename it.
    expect(JSON.parse(lines[1]!)).toEqual({ type: 'function', outcome: 'InvalidInput', className: 'InvalidInput' });
  });
});

describe.each(readdirSync(join('dist', 'functions')))('%s bundle size', (name) => {
  it(`stays under ${MAX_BUNDLE_BYTES / 1024} KB`, () => {
    expect(statSync(join('dist', 'functions', name, 'index.js')).size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });
});
