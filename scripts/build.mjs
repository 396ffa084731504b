// Bundles each FC handler on its own (functions/<name>/index.ts → dist/functions/<name>/index.js, CommonJS,
// exporting `handler`), the CLI (src/cli/main.ts → dist/cli/riflow.cjs) and the console page
// (src/console/page → dist/console). Only what a handler imports goes in.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerStubs } from './handler-stubs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

const functionNames = readdirSync(join(root, 'functions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'functions', d.name, 'index.ts')))
  .map((d) => d.name);

rmSync(join(root, 'dist', 'functions'), { recursive: true, force: true });

const jobs = functionNames.map((name) =>
  build({
    ...shared,
    // Lighter stand-ins for some of pop-core's dependencies (scripts/handler-stubs.mjs says which and why).
    plugins: [handlerStubs()],
    entryPoints: [join(root, 'functions', name, 'index.ts')],
    outfile: join(root, 'dist', 'functions', name, 'index.js'),
    minify: true,
    // FC reports a thrown error's class name as its errorType, and the workflows' Retry/Catch match it: keep class
    // names through minification (test/functions/error-names.test.ts checks every name on these bundles).
    keepNames: true,
    metafile: true,
  }),
);
// `--functions` builds the handler bundles and the console page only (what the test setup needs); `npm run build`
// does all.
const functionsOnly = process.argv.includes('--functions');
jobs.push(buildConsolePage());
const cliEntry = join(root, 'src', 'cli', 'main.ts');
if (!functionsOnly && existsSync(cliEntry)) {
  // ES module builds first: jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow (of the
  // CLI's packages only it has a `module` without an `exports` map, so nothing else changes).
  jobs.push(build({ ...shared, entryPoints: [cliEntry], outfile: join(root, 'dist', 'cli', 'riflow.cjs'), sourcemap: true, mainFields: ['module', 'main'] }));
}
await Promise.all(jobs);
// The bundles are CommonJS; this repo's package.json says "type": "module", so mark dist/ as CommonJS for Node
// (FC itself loads the code folder with no package.json around it).
writeFileSync(join(root, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
// The workflows are rendered for an account and region by `npm run deploy` (src/deploy), not here.

/**
 * The console page: one browser bundle (its libraries from node_modules, never a CDN) next to its HTML and CSS.
 * The riflow console command serves dist/console.
 */
async function buildConsolePage() {
  const pageDir = join(root, 'src', 'console', 'page');
  const outDir = join(root, 'dist', 'console');
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(pageDir, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'linked',
  });
  for (const file of ['index.html', 'app.css']) copyFileSync(join(pageDir, file), join(outDir, file));
}
