/**
 * `npm run bench`: runs every bench/*.bench.ts (or only those named on the command line), prints each table as it
 * finishes, and rewrites BENCHMARKS.md with the figures, the baseline or peer, the target and the machine. Each
 * benchmark runs in a fresh process of its own, so that none measures the heap or the JIT state another one left
 * (the interpreter's throughput, measured right after a 10,000-interface fleet run in the same process, read 30 %
 * low).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchTable, Benchmark } from './types';

const benchDir = import.meta.dirname;
const outputPath = join(benchDir, '..', 'BENCHMARKS.md');
const CHILD_FLAG = '--run-one';
const only = process.argv.slice(2);

/** Sections of the current BENCHMARKS.md by benchmark name, so a partial run keeps the others. */
function previousSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(outputPath)) return sections;
  const text = readFileSync(outputPath, 'utf8');
  for (const match of text.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) {
    sections.set(match[1] as string, match[2] as string);
  }
  return sections;
}

function renderTable(table: BenchTable): string {
  const header = `| ${table.columns.join(' | ')} |\n| ${table.columns.map(() => '---').join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
  const notes = (table.notes ?? []).map((n) => `- ${n}`).join('\n');
  return [
    `### ${table.title}`,
    table.method,
    header + '\n' + rows,
    `Target: ${table.target} — **${table.met ? 'met' : 'not met'}**.`,
    notes,
  ]
    .filter(Boolean)
    .join('\n\n');
}

async function main(): Promise<void> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
    .sort();
  const sections = previousSections();
  const started = Date.now();
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    const tables = runInChild(file);
    const text = tables.map(renderTable).join('\n\n');
    process.stdout.write(text + '\n\n');
    sections.set(name, `${text}\n\n_Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- ${name}\`._`);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}/${process.arch}`;
  const doc = [
    '# Benchmarks',
    // One paragraph: the sections are joined with blank lines, so a line break here would split the sentences.
    'Produced by `npm run bench`, which runs every benchmark under `bench/` and rewrites this file; ' +
      '`npm run bench -- <name>` reruns one and keeps the other sections. Each figure is the median of several ' +
      'repetitions, measured side by side with its baseline or peer in the same run. Nothing here is asserted in ' +
      '`npm test`. How to read the tables: docs/benchmarks.md.',
    `Machine of the last run: ${machine}; that run (\`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\`) took ${Math.round((Date.now() - started) / 1000)} s.`,
    ...[...sections.entries()].sort().map(([name, text]) => `<!-- bench:${name} -->\n${text}\n<!-- /bench:${name} -->`),
  ].join('\n\n');
  writeFileSync(outputPath, doc + '\n');
}

/** Runs one benchmark in a fresh node with the same loader (tsx); it hands its tables back in a temporary file. */
function runInChild(file: string): BenchTable[] {
  const dir = mkdtempSync(join(tmpdir(), 'riflow-bench-'));
  const tablesPath = join(dir, 'tables.json');
  try {
    execFileSync(process.execPath, [...process.execArgv, import.meta.filename, CHILD_FLAG, file, tablesPath], { stdio: 'inherit' });
    return JSON.parse(readFileSync(tablesPath, 'utf8')) as BenchTable[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOne(file: string, tablesPath: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Benchmark };
  process.stdout.write(`bench: ${mod.default.name} …\n`);
  writeFileSync(tablesPath, JSON.stringify(await mod.default.run()));
}

if (process.argv[2] === CHILD_FLAG) {
  runOne(process.argv[3] as string, process.argv[4] as string).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
