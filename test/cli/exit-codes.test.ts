/** Exit codes scripts rely on (src/cli/errors.ts EXIT, `riflow --help`, the README), from the built CLI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/errors';
import { ndjson, runCli, scratchDir } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe('exit codes', () => {
  it('are distinct: success, invalid input, a failed run, an internal error', () => {
    expect(new Set([EXIT.ok, EXIT.invalid, EXIT.failed, EXIT.internal]).size).toBe(4);
    expect(EXIT.internal).toBe(3);
  });

  it('an unexpected exception inside a command exits 3, not 0 or 1, and says it was unexpected', async () => {
    // The history of "broken" is a directory where a file should be: reading it throws an error riflow did not plan for.
    mkdirSync(join(scratch.dir, '.riflow', 'executions', 'broken.ndjson'), { recursive: true });
    const result = await runCli(['history', 'broken'], { cwd: scratch.dir });
    expect(result.code).toBe(EXIT.internal);
    expect(result.stderr).toContain('unexpected failure');
    expect(result.stderr).toContain('--debug');
  });

  it('a run that times out exits 2, with TimedOut in its result line', async () => {
    writeFileSync(join(scratch.dir, 's.yaml'), 'edition: 3.0.0\nname: probe\naccess: default\nresources: {}\n');
    mkdirSync(join(scratch.dir, 'workflows'));
    writeFileSync(
      join(scratch.dir, 'workflows', 'slow.yaml'),
      ['Type: StateMachine', 'SpecVersion: v1', 'Name: probe-slow', 'Timeout: 1', 'StartAt: Pause', 'States:', '  - Type: Wait', '    Name: Pause', '    Seconds: 10', '    End: true', ''].join('\n'),
    );
    const result = await runCli(['run', 'workflows/slow.yaml', '--input', '{}', '--fast', '--json'], { cwd: scratch.dir });
    expect(result.code).toBe(EXIT.failed);
    expect(ndjson(result.stdout).at(-1)).toMatchObject({ type: 'result', status: 'TimedOut', error: 'FnF.Timeout' });
  });

  it('riflow without a command prints the help and exits 1 (nothing was asked), unlike riflow --help', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(EXIT.invalid);
    expect(result.stdout).toContain('Usage: riflow');
  });

  it('riflow --help documents every code', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(EXIT.ok);
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('0 succeeded');
    expect(help).toContain('1 invalid usage');
    expect(help).toContain('2 the execution failed or timed out');
    expect(help).toContain('3 an internal error');
  });
});
