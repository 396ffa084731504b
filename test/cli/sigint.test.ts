import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ndjson, scratchDir, spawnCli, WORKFLOW } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

it('Ctrl-C mid-run (realistic timings) stops the execution, records where, and exits 130', async () => {
  const child = spawnCli(['run', WORKFLOW, '--demo', '--json', '--name', 'interrupted'], { cwd: scratch.dir });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Mid-run: connected, now in the 5 s wait before the first poll (real time, no --fast).
    if (!sent && /"type":"StateStarted","state":"WaitBeforePoll"/.test(stdout)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no exit within 15 s; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal });
    });
  });
  expect(sent).toBe(true);
  expect(exit.code).toBe(130);
  const lines = ndjson(stdout);
  expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'Stopped' });
  expect((lines.at(-1)?.stoppedIn as string[]).join()).toMatch(/WaitBeforePoll|Describe|IsActive/);
  // The history on disk says where it stopped.
  const history = ndjson(readFileSync(join(scratch.dir, '.riflow', 'executions', 'interrupted.ndjson'), 'utf8'));
  const aborted = history.find((event) => event.type === 'StateAborted');
  expect(aborted?.state).toBe((lines.at(-1)?.stoppedIn as string[])[0]);
  expect(history.at(-1)).toMatchObject({ type: 'ExecutionStopped', reason: 'stopped by SIGINT' });
  expect(history.some((event) => event.type === 'ExecutionSucceeded')).toBe(false);
});
