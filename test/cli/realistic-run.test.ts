/** `npm start`'s command without --fast: real timings (transitions of a few seconds, 5 s polls), about 20 s. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ndjson, runCli, scratchDir, WORKFLOW } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

it('runs the demo with realistic timings to completion well under a minute', { timeout: 40_000 }, async () => {
  const result = await runCli(['run', WORKFLOW, '--demo'], { cwd: scratch.dir, timeoutMs: 35_000 });
  expect(result.code).toBe(0);
  const lines = ndjson(result.stdout);
  const last = lines.at(-1) as { status: string; durationMs: number };
  expect(last.status).toBe('Succeeded');
  expect(last.durationMs).toBeGreaterThan(4_000); // the emulator really took its time
  expect(last.durationMs).toBeLessThan(30_000);
  const statuses = lines
    .filter((line) => line.type === 'TaskSucceeded' && line.state === 'Describe')
    .map((line) => (line.output as { Body: { status: string } }).Body.status);
  expect(statuses[0]).toBe('Connecting');
  expect(statuses).toContain('Active');
  expect(lines.some((line) => line.type === 'StateStarted' && line.waitSeconds === 5)).toBe(true);
});
