// Bundles each FC handler on its own (functions/<name>/index.ts → dist/functions/<name>/index.js, CommonJS,
// exporting `handler`) and the CLI (src/cli/main.ts → dist/cli/riflow.cjs). Only what a handler imports goes in.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

const functionNames = readdirSync(join(root, 'functions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'functions', d.name, 'index.ts')))
  .map((d) => d.name);

rmSync(join(root, 'dist', 'functions'), { recursive: true, force: true });
const jobs = functionNames.map((name) =>
  build({
    ...shared,
    entryPoints: [join(root, 'functions', name, 'index.ts')],
    outfile: join(root, 'dist', 'functions', name, 'index.js'),
    minify: true,
    metafile: true,
  }),
);
const cliEntry = join(root, 'src', 'cli', 'main.ts');
if (existsSync(cliEntry)) {
  jobs.push(build({ ...shared, entryPoints: [cliEntry], outfile: join(root, 'dist', 'cli', 'riflow.cjs'), sourcemap: true }));
}
await Promise.all(jobs);
