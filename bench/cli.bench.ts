/**
 * Whole-process start-up of the `riflow` command, beside `node -e 0` (the floor for any Node.js CLI):
 * `riflow --help` (must not load the emulator, interpreter or YAML parser) and `npm start`'s command until the
 * first state is entered (emulator up, workflow loaded, first task starting).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Benchmark, type BenchTable } from './types';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'riflow.cjs');
const REPETITIONS = 7;

/** Milliseconds from spawn until `until` matches stdout (or the process exits, when no pattern is given). */
function timeProcess(args: string[], cwd: string, until?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = '';
    let measured: number | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish within 30 s`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (until && measured === undefined && until.test(seen)) {
        measured = elapsed();
        child.kill('SIGINT'); // the run stops cleanly; its exit is not part of the figure
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      const value = until ? measured : elapsed();
      if (value === undefined) reject(new Error(`${args.join(' ')} exited before printing ${String(until)}`));
      else resolve(value);
    });
  });
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<{ median: number; min: number; max: number }> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const fmt = (ms: number): string => `${Math.round(ms)} ms`;

const benchmark: Benchmark = {
  name: 'cli',
  async run(): Promise<BenchTable[]> {
    const scratch = mkdtempSync(join(tmpdir(), 'riflow-bench-cli-'));
    try {
      const floor = await medianOf(REPETITIONS, () => timeProcess(['-e', '0'], scratch));
      const help = await medianOf(REPETITIONS, () => timeProcess([BIN, '--help'], scratch));
      const firstState = await medianOf(REPETITIONS, () =>
        timeProcess([BIN, 'run', join(ROOT, 'workflows', 'connect-and-modify-spec.yaml'), '--demo'], scratch, /"type":"StateEntered"/),
      );
      const met = help.median < 300 && firstState.median < 1000;
      return [
        {
          title: 'CLI start-up',
          method: `Wall time from spawning the process, median of ${REPETITIONS} (min–max in brackets). "First state" is \`npm start\`'s command (\`riflow run workflows/connect-and-modify-spec.yaml --demo\`, NDJSON because stdout is a pipe) until the first StateEntered line: the embedded emulator is listening and the workflow loaded.`,
          columns: ['Command', 'Median', 'Range', 'Above the floor', 'Target'],
          rows: [
            ['`node -e 0` (floor)', fmt(floor.median), `${fmt(floor.min)}–${fmt(floor.max)}`, '—', '—'],
            ['`riflow --help`', fmt(help.median), `${fmt(help.min)}–${fmt(help.max)}`, fmt(help.median - floor.median), '< 300 ms'],
            ['`npm start` → first state entered', fmt(firstState.median), `${fmt(firstState.min)}–${fmt(firstState.max)}`, fmt(firstState.median - floor.median), '< 1 s'],
          ],
          target: '`riflow --help` < 300 ms and the first state of `npm start` < 1 s',
          met,
          notes: ['The bundle is one file; commands load lazily, so `--help` evaluates only the command table.'],
        },
      ];
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

export default benchmark;
