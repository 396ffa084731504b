// The hand-written mutation run (`npm run mutation`): applies each mutant of mutation/mutants.yaml, one at a time, to
// a throwaway copy of the project and runs the test suite against it. A mutant is killed when a test fails, and
// survives when the suite stays green. The working tree is never touched. Method and figures: docs/mutation.md.
//
//   npm run mutation                              every mutant
//   npm run mutation -- --only id1,id2            some of them
//   npm run mutation -- --check                   only check that each mutant applies, type-checks and lints
//   options: --timeout SECONDS (per mutant; default 3 × the clean run, at least 300), --keep (keep the copy),
//            --report FILE (default mutation/report.json), --mutants FILE (default mutation/mutants.yaml),
//            --strict (exit 2 when a mutant survives)
//
// Exit codes: 0 the run completed; 1 a mutant is STALE or INVALID, the clean suite fails, or bad usage;
// 2 (with --strict) a mutant survived; 130 interrupted.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout, clearTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MUTANTS_FILE = join(ROOT, 'mutation', 'mutants.yaml');
const AREAS = ['workflow', 'emulator', 'cli', 'handler', 'interpreter', 'client'];
const MIN_TIMEOUT_SECONDS = 300;
const TIMEOUT_FACTOR = 3;

// ── the mutants file ──────────────────────────────────────────────────────────────────────────────────────────────

class UsageError extends Error {}

/** Reads and checks mutation/mutants.yaml; every problem names the mutant and the field. */
function loadMutants(file) {
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${relative(ROOT, file)}: ${error.message}`);
  }
  const list = doc?.mutants;
  if (!Array.isArray(list)) throw new UsageError(`${relative(ROOT, file)}: expected a top-level "mutants" list`);
  const seen = new Set();
  return list.map((mutant, index) => {
    const where = `${relative(ROOT, file)}: mutants[${index}]${typeof mutant?.id === 'string' ? ` (${mutant.id})` : ''}`;
    for (const field of ['id', 'area', 'behaviour', 'file', 'find', 'replace']) {
      if (typeof mutant?.[field] !== 'string' || (field !== 'replace' && mutant[field].trim() === '')) {
        throw new UsageError(`${where}: field "${field}" must be a non-empty string`);
      }
    }
    if (!/^[a-z0-9][a-z0-9-]*$/.test(mutant.id)) throw new UsageError(`${where}: field "id" must be lower-case words joined by "-"`);
    if (seen.has(mutant.id)) throw new UsageError(`${where}: field "id" repeats an earlier mutant`);
    seen.add(mutant.id);
    if (!AREAS.includes(mutant.area)) throw new UsageError(`${where}: field "area" must be one of ${AREAS.join(', ')}`);
    if (mutant.find === mutant.replace) throw new UsageError(`${where}: "replace" equals "find", so nothing would change`);
    return { id: mutant.id, area: mutant.area, behaviour: mutant.behaviour.trim(), file: mutant.file, find: mutant.find, replace: mutant.replace };
  });
}

function occurrences(text, find) {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count += 1;
  return count;
}

/** A mutant is stale when its `find` no longer occurs exactly once: the code moved on and it must be re-targeted. */
function staleReason(root, mutant) {
  const path = join(root, mutant.file);
  if (!existsSync(path)) return `${mutant.file} does not exist`;
  const count = occurrences(readFileSync(path, 'utf8'), mutant.find);
  return count === 1 ? undefined : `"find" occurs ${count} times in ${mutant.file} (must be exactly once)`;
}

// ── the throwaway copy ────────────────────────────────────────────────────────────────────────────────────────────

/** Tracked files plus new ones git does not ignore, as they are in the working tree; node_modules is a symlink. */
function makeCopy() {
  const copy = mkdtempSync(join(tmpdir(), 'riflow-mutation-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const from = join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(from, join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

// ── child processes, bounded and killable ─────────────────────────────────────────────────────────────────────────

let running; // the child process group in flight, killed on Ctrl-C or timeout

/** Signals the whole group (vitest, its workers, the CLIs the tests spawned); SIGTERM is followed by SIGKILL after 5 s. */
function killGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    return; // already gone
  }
  if (signal === 'SIGKILL') return;
  setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5_000).unref();
}

/** Runs a command in its own process group; resolves with its exit code, output and whether it timed out. */
function run(command, args, { cwd, timeoutMs, logFile }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    running = child;
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child);
        }, timeoutMs)
      : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running = undefined;
      const output = Buffer.concat(chunks).toString('utf8');
      if (logFile) {
        mkdirSync(dirname(logFile), { recursive: true });
        writeFileSync(logFile, output);
      }
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const node = process.execPath;
const bin = (copy, name) => join(copy, 'node_modules', name);

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function lastLines(text, count) {
  return stripAnsi(text).trim().split('\n').slice(-count).join('\n');
}

// ── one mutant ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The mutant still compiles, lints and (for a workflow) validates: only a test can kill it. */
async function checkValidity(copy, mutant) {
  if (mutant.file.endsWith('.ts')) {
    // Incremental: after the first mutant, only the mutated file and what depends on it are checked again.
    const buildInfo = join(copy, '.mutation-logs', 'tsbuildinfo');
    const tsc = await run(node, [bin(copy, 'typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo], { cwd: copy });
    if (tsc.code !== 0) return `tsc: ${lastLines(tsc.output, 5)}`;
    const eslint = await run(node, [bin(copy, 'eslint/bin/eslint.js'), mutant.file], { cwd: copy });
    if (eslint.code !== 0) return `eslint: ${stripAnsi(eslint.output).split('\n').find((line) => /\berror\b/.test(line))?.trim() ?? lastLines(eslint.output, 5)}`;
  } else if (mutant.file.startsWith('workflows/')) {
    const validate = await run(node, ['bin/riflow.cjs', 'validate', mutant.file], { cwd: copy });
    if (validate.code !== 0) return `riflow validate: ${lastLines(validate.output, 5)}`;
  }
  return undefined;
}

/** The first failed test in vitest's JSON report (the config writes test-results.json), as "file > full name". */
function firstFailure(copy) {
  const reportPath = join(copy, 'test-results.json');
  if (!existsSync(reportPath)) return undefined;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  for (const file of report.testResults ?? []) {
    const failed = (file.assertionResults ?? []).find((test) => test.status === 'failed');
    if (failed) return `${relative(copy, file.name)} > ${failed.fullName}`;
    if (file.status === 'failed') return `${relative(copy, file.name)} (${lastLines(file.message ?? 'failed to run', 1)})`;
  }
  return undefined;
}

/** The suite as the brief of issue 12 runs it: bundles rebuilt from the (mutated) copy, vitest stopping at the first failure. */
async function runSuite(copy, timeoutMs, logFile) {
  const build = await run(node, ['scripts/build.mjs'], { cwd: copy, timeoutMs });
  if (build.code !== 0) return { ...build, failure: `build: ${lastLines(build.output, 3)}` };
  rmSync(join(copy, 'test-results.json'), { force: true });
  const remaining = timeoutMs ? Math.max(1_000, timeoutMs - build.seconds * 1000) : undefined;
  // --no-cache: the file order does not depend on earlier runs, and nothing is written into the shared node_modules.
  const vitest = await run(node, [bin(copy, 'vitest/vitest.mjs'), 'run', '--bail=1', '--no-cache'], { cwd: copy, timeoutMs: remaining, logFile });
  return { ...vitest, seconds: build.seconds + vitest.seconds, failure: vitest.code === 0 ? undefined : firstFailure(copy) };
}

async function runMutant(copy, mutant, options) {
  const path = join(copy, mutant.file);
  const original = readFileSync(path, 'utf8');
  const stale = staleReason(copy, mutant);
  if (stale) return { status: 'STALE', detail: stale, seconds: 0 };
  writeFileSync(path, original.replace(mutant.find, () => mutant.replace));
  try {
    const started = Date.now();
    const invalid = await checkValidity(copy, mutant);
    if (invalid) return { status: 'INVALID', detail: invalid, seconds: (Date.now() - started) / 1000 };
    if (options.checkOnly) return { status: 'VALID', seconds: (Date.now() - started) / 1000 };
    const logFile = join(copy, '.mutation-logs', `${mutant.id}.log`);
    const result = await runSuite(copy, options.timeoutMs, logFile);
    const seconds = (Date.now() - started) / 1000;
    if (result.timedOut) return { status: 'TIMEOUT', detail: `no result within ${Math.round(options.timeoutMs / 1000)} s`, seconds };
    if (result.code === 0) return { status: 'SURVIVED', seconds };
    return { status: 'KILLED', killedBy: result.failure ?? `vitest exited ${result.code}: ${lastLines(result.output, 2)}`, seconds };
  } finally {
    writeFileSync(path, original);
  }
}

// ── report ────────────────────────────────────────────────────────────────────────────────────────────────────────

const DETECTED = new Set(['KILLED', 'TIMEOUT']);

function summarize(results) {
  const byArea = {};
  for (const area of AREAS) byArea[area] = { total: 0, killed: 0, survived: 0, timeout: 0, invalid: 0, stale: 0 };
  for (const result of results) {
    const row = byArea[result.area];
    row.total += 1;
    if (result.status === 'KILLED') row.killed += 1;
    else if (result.status === 'SURVIVED') row.survived += 1;
    else if (result.status === 'TIMEOUT') row.timeout += 1;
    else if (result.status === 'INVALID') row.invalid += 1;
    else if (result.status === 'STALE') row.stale += 1;
  }
  const total = Object.values(byArea).reduce(
    (sum, row) => Object.fromEntries(Object.entries(sum).map(([key, value]) => [key, value + row[key]])),
    { total: 0, killed: 0, survived: 0, timeout: 0, invalid: 0, stale: 0 },
  );
  return { byArea, total };
}

function pad(text, width) {
  return String(text).padEnd(width);
}

function printTable(results, summary, out) {
  const idWidth = Math.max(4, ...results.map((result) => result.id.length));
  out(`\n${pad('MUTANT', idWidth)}  ${pad('AREA', 11)}  ${pad('STATUS', 8)}  ${pad('TIME', 6)}  KILLED BY / DETAIL\n`);
  for (const result of results) {
    const detail = result.killedBy ?? result.detail ?? (result.status === 'SURVIVED' ? result.behaviour : '');
    out(`${pad(result.id, idWidth)}  ${pad(result.area, 11)}  ${pad(result.status, 8)}  ${pad(`${Math.round(result.seconds)}s`, 6)}  ${detail.split('\n')[0]}\n`);
  }
  out(`\n${pad('AREA', 11)}  TOTAL  KILLED  SURVIVED  TIMEOUT  INVALID  STALE\n`);
  for (const [area, row] of [...Object.entries(summary.byArea), ['all', summary.total]]) {
    if (row.total === 0) continue;
    out(`${pad(area, 11)}  ${pad(row.total, 5)}  ${pad(row.killed, 6)}  ${pad(row.survived, 8)}  ${pad(row.timeout, 7)}  ${pad(row.invalid, 7)}  ${row.stale}\n`);
  }
}

function gitDescription() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const out = (text) => process.stdout.write(text);
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      check: { type: 'boolean' },
      timeout: { type: 'string' },
      keep: { type: 'boolean' },
      report: { type: 'string' },
      strict: { type: 'boolean' },
      mutants: { type: 'string' },
    },
  });
  const mutantsFile = values.mutants === undefined ? MUTANTS_FILE : resolve(values.mutants);
  const all = loadMutants(mutantsFile);
  let selected = all;
  if (values.only !== undefined) {
    const ids = values.only.split(',').map((id) => id.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !all.some((mutant) => mutant.id === id));
    if (unknown.length) throw new UsageError(`--only: no mutant named ${unknown.join(', ')}`);
    selected = all.filter((mutant) => ids.includes(mutant.id));
  }
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new UsageError('--timeout: must be a number of seconds above 0');
  }
  const reportPath = values.report ?? join(ROOT, 'mutation', 'report.json');

  // Stale mutants are found before anything runs: they must be re-targeted, and a partial figure would mislead.
  const stale = selected.map((mutant) => ({ mutant, reason: staleReason(ROOT, mutant) })).filter((entry) => entry.reason);
  if (stale.length) {
    for (const { mutant, reason } of stale) out(`STALE  ${mutant.id}: ${reason}\n`);
    out(`${stale.length} stale mutant${stale.length === 1 ? '' : 's'}: re-target ${stale.length === 1 ? 'it' : 'them'} in ${relative(ROOT, mutantsFile)}.\n`);
    return 1;
  }

  const runStarted = Date.now();
  const git = gitDescription(); // before the copy: the state of the working tree the copy is made from
  const copy = makeCopy();
  const cleanUp = () => {
    if (!values.keep) rmSync(copy, { recursive: true, force: true });
  };
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      out(`\n${signal}: stopping${running ? ' the test run' : ''} and removing ${copy}\n`);
      if (running) killGroup(running, 'SIGKILL');
      process.exit(130);
    });
  }
  out(`mutation: ${selected.length} mutant${selected.length === 1 ? '' : 's'} in ${copy}${values.keep ? ' (kept)' : ''}\n`);

  const build = await run(node, ['scripts/build.mjs'], { cwd: copy });
  if (build.code !== 0) {
    out(`build failed on the unmutated copy:\n${lastLines(build.output, 20)}\n`);
    return 1;
  }

  let timeoutMs;
  let baselineSeconds;
  if (!values.check) {
    out('clean run (no mutant): ');
    const clean = await runSuite(copy, undefined, join(copy, '.mutation-logs', 'clean.log'));
    baselineSeconds = clean.seconds;
    if (clean.code !== 0) {
      out(`FAILED in ${Math.round(clean.seconds)} s: ${clean.failure ?? lastLines(clean.output, 10)}\nThe suite must pass before mutants mean anything.\n`);
      return 1;
    }
    timeoutMs = (timeoutSeconds ?? Math.max(MIN_TIMEOUT_SECONDS, Math.ceil(TIMEOUT_FACTOR * clean.seconds))) * 1000;
    out(`passed in ${Math.round(clean.seconds)} s; per-mutant limit ${Math.round(timeoutMs / 1000)} s\n`);
  }

  const results = [];
  // --check measures nothing, so it leaves the last run's report alone unless --report names a file.
  const keepsReport = values.check === true && values.report === undefined;
  const writeReport = (finished) => {
    const summary = summarize(results);
    if (keepsReport) return summary;
    const report = {
      format: 'riflow-mutation-report',
      version: 1,
      startedAt: new Date(runStarted).toISOString(),
      ...(finished ? { finishedAt: new Date().toISOString() } : { finishedAt: null }),
      totalSeconds: Math.round((Date.now() - runStarted) / 1000),
      ...(baselineSeconds === undefined ? {} : { cleanRunSeconds: Math.round(baselineSeconds) }),
      ...(timeoutMs === undefined ? {} : { timeoutSeconds: Math.round(timeoutMs / 1000) }),
      checkOnly: values.check === true,
      node: process.version,
      ...git,
      summary,
      results,
    };
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    return summary;
  };

  for (const [index, mutant] of selected.entries()) {
    out(`[${index + 1}/${selected.length}] ${mutant.id} … `);
    const result = await runMutant(copy, mutant, { checkOnly: values.check === true, timeoutMs });
    results.push({ id: mutant.id, area: mutant.area, file: mutant.file, behaviour: mutant.behaviour, ...result, seconds: Math.round(result.seconds * 10) / 10 });
    out(`${result.status} (${Math.round(result.seconds)} s)${result.killedBy ? ` by ${result.killedBy}` : result.detail ? `: ${result.detail.split('\n')[0]}` : ''}\n`);
    writeReport(false); // an interrupted run still leaves what it measured
  }

  const summary = writeReport(true);
  printTable(results, summary, out);
  const { total } = summary;
  const detected = results.filter((result) => DETECTED.has(result.status)).length;
  const measured = total.total - total.invalid - total.stale;
  const where = keepsReport ? '' : `; report ${relative(ROOT, reportPath)}`;
  out(`\n${values.check ? 'checked' : `killed ${detected} of ${measured}`} in ${Math.round((Date.now() - runStarted) / 1000)} s${where}\n`);
  if (total.invalid || total.stale) return 1;
  if (values.strict && total.survived) return 2;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`mutation: ${error instanceof UsageError ? error.message : error.stack ?? error}\n`);
    process.exit(1);
  },
);
