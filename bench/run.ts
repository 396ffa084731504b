/**
 * `npm run bench`: runs every bench/*.bench.ts (or only those named on the command line), prints each table as it
 * finishes, and rewrites BENCHMARKS.md with the figures, the baseline or peer, the target and the machine.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchTable, Benchmark } from './types';

const benchDir = import.meta.dirname;
const outputPath = join(benchDir, '..', 'BENCHMARKS.md');
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
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Benchmark };
    process.stdout.write(`bench: ${mod.default.name} …\n`);
    const tables = await mod.default.run();
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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
