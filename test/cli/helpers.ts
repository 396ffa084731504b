/** Runs the built CLI as a user would (`node bin/riflow.cjs …`) in a scratch folder. */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'riflow.cjs');
export const WORKFLOW = join(ROOT, 'workflows', 'connect-and-modify-spec.yaml');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without anything that would point the CLI elsewhere or colour its output. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('ALIBABA_CLOUD_') || key.startsWith('RIFLOW_') || key === 'NO_COLOR' || key === 'FORCE_COLOR') delete env[key];
  }
  return { ...env, ...extra };
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        done({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

export function spawnCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A scratch working folder (its own .riflow/executions); removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'riflow-cli-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Strips ANSI escape sequences. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Whether the text holds an ANSI colour sequence. */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001b[');
}

/**
 * `script` (util-linux; Debian ships it in bsdutils) gives the CLI a pseudo-terminal. A test that needs it fails
 * loudly without it, never skips: .ci/run installs it.
 */
function requireScript(): void {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the terminal tests need `script` from util-linux (Debian: apt-get install bsdutils); .ci/run installs it');
  }
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the CLI under `script -qfec` (a pty, so stdout is a TTY); resolves with its exit code and everything it printed. */
export function runInTerminal(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  requireScript();
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((done) => {
    execFile('script', ['-qfec', command, '/dev/null'], { cwd, env: cleanEnv(env), timeout: 15_000 }, (error, stdout) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null) : 0;
      done({ code, output: stdout.replace(/\r\n/g, '\n') });
    });
  });
}

/**
 * Waits for a spawned `riflow emulator` to print its URL and the Ctrl-C hint. `output()` returns everything it has
 * printed so far (it keeps collecting after the URL).
 */
export function emulatorReady(child: ChildProcess, withinMs = 5_000): Promise<{ url: string; output: () => string }> {
  let out = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL within ${withinMs} ms: ${out}`)), withinMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match && out.includes('Ctrl-C')) {
        clearTimeout(timer);
        done({ url: match[1] as string, output: () => out });
      }
    });
  });
}
