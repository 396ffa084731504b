import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_CHANGES } from '../../src/cloudflow/workflow-input';
import { ndjson, ROOT, runCli, runInTerminal, scratchDir, WORKFLOW } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe('riflow run (not a terminal → NDJSON)', () => {
  it('runs the demo to completion with --fast and streams schema, events and result', async () => {
    const result = await runCli(['run', WORKFLOW, '--demo', '--fast', '--json', '--name', 'demo-1'], { cwd: scratch.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = ndjson(result.stdout);
    const [first, ...rest] = lines;
    const last = rest.pop();
    expect(first).toMatchObject({ v: 1, type: 'riflow.stream', schema: 1, command: 'run', execution: 'demo-1', embeddedEmulator: true });
    expect(last).toMatchObject({ v: 1, type: 'result', status: 'Succeeded', execution: 'demo-1' });
    expect(last?.output).toMatchObject({ status: 'Active', spec: 'Middle.1', connectChanged: true, specChanged: true });
    // From the embedded emulator's call log: one connect, one modify, and the polls (handlers may describe too).
    expect(last?.apiCalls).toMatchObject({ ConnectRouterInterface: 1, ModifyRouterInterfaceSpec: 1 });
    expect((last?.apiCalls as Record<string, number>).DescribeRouterInterfaces).toBeGreaterThanOrEqual(2);
    expect((last?.billing as { usd: number }).usd).toBeCloseTo(((last?.counts as { stateTransitions: number }).stateTransitions * 0.25) / 10_000, 10);
    // Every line between is a history event, in order, the same as the history file.
    rest.forEach((event, index) => expect(event).toMatchObject({ v: 1, seq: index + 1, execution: 'demo-1' }));
    expect(rest[0]?.type).toBe('ExecutionStarted');
    expect(rest[rest.length - 1]?.type).toBe('ExecutionSucceeded');
    // The history file is the execution's journal: a header with what --resume needs, then the same events.
    const [header, ...history] = ndjson(readFileSync(join(scratch.dir, '.riflow', 'executions', 'demo-1.ndjson'), 'utf8'));
    expect(header).toMatchObject({ v: 1, seq: 0, type: 'ExecutionJournal', execution: 'demo-1', flow: 'riflow-connect-and-modify-spec', definitionPath: WORKFLOW });
    expect(history).toEqual(rest);
  });

  it('writes NDJSON without --json when stdout is not a terminal, and keeps function logs out of it', async () => {
    const result = await runCli(['run', WORKFLOW, '--demo', '--fast', '--name', 'demo-2'], { cwd: scratch.dir });
    expect(result.code).toBe(0);
    const lines = ndjson(result.stdout); // throws on any non-JSON line
    expect(lines.every((line) => line.v === 1)).toBe(true);
    expect(readFileSync(join(scratch.dir, '.riflow', 'executions', 'demo-2.functions.log'), 'utf8')).toContain('"function":"riflow-connect"');
  });

  it('exits 2 when the execution fails (nonexistent interface → Fail RouterInterfaceNotFound)', async () => {
    const input = JSON.stringify({ regionId: 'cn-hangzhou', routerInterfaceId: 'ri-doesnotexist0000', spec: 'Large.1' });
    const result = await runCli(['run', WORKFLOW, '--input', input, '--fast', '--json'], { cwd: scratch.dir });
    expect(result.code).toBe(2);
    const last = ndjson(result.stdout).pop();
    expect(last).toMatchObject({
      type: 'result',
      status: 'Failed',
      error: 'RouterInterfaceNotFound',
      // What the API answered, beyond the Fail state's static Detail.
      caught: { state: 'Connect', error: 'RouterInterfaceNotFound', cause: expect.stringMatching(/^InvalidRouterInterfaceId\.NotFound \(HTTP 404\): /) },
    });
  });

  it('shows the caught API code and message in the failure summary, on a terminal too', async () => {
    const faults = [{ action: 'ModifyRouterInterfaceSpec', error: { code: 'Refused.Unlisted', status: 400, message: 'not for you' } }];
    writeFileSync(join(scratch.dir, 'faults.json'), JSON.stringify(faults));
    const json = await runCli(['run', WORKFLOW, '--demo', '--fast', '--faults', 'faults.json', '--name', 'refused-1'], { cwd: scratch.dir });
    expect(json.code).toBe(2);
    const cause = expect.stringMatching(/^Refused\.Unlisted \(HTTP 400\): not for you RequestId: \S+$/);
    expect(ndjson(json.stdout).pop()).toMatchObject({ error: 'ModifySpecFailed', caught: { state: 'ModifySpec', error: 'RequestRefused', cause } });

    const terminal = await runInTerminal(['run', WORKFLOW, '--demo', '--fast', '--faults', 'faults.json', '--name', 'refused-2'], scratch.dir, { NO_COLOR: '1' });
    expect(terminal.code).toBe(2);
    expect(terminal.output).toMatch(/Failed after \S+: ModifySpecFailed\n {2}ModifyRouterInterfaceSpec failed;[^\n]*\n {2}caught in ModifySpec: RequestRefused — Refused\.Unlisted \(HTTP 400\): not for you RequestId: /);

    // The replay of the history says the same.
    const replay = await runCli(['history', 'refused-1', '--json'], { cwd: scratch.dir });
    expect(ndjson(replay.stdout).pop()).toMatchObject({ caught: { state: 'ModifySpec', error: 'RequestRefused', cause } });
  });

  it('reads --input from a file and fills regionId from --region', async () => {
    writeFileSync(join(scratch.dir, 'input.json'), JSON.stringify({ routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq', spec: 'Small.1' }));
    const result = await runCli(['run', WORKFLOW, '--input', '@input.json', '--region', 'cn-hangzhou', '--fast', '--json'], { cwd: scratch.dir });
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(events[1]).toMatchObject({ type: 'ExecutionStarted', input: { regionId: 'cn-hangzhou', spec: 'Small.1' } });
    // Already the spec: ModifySpec is skipped.
    expect(events.at(-1)?.apiCalls).not.toHaveProperty('ModifyRouterInterfaceSpec');
  });
});

describe('riflow run exit 1: usage, definition, input', () => {
  it.each([
    [['run', '--bogus'], /unknown option '--bogus'/i],
    [['run', WORKFLOW], /no input/],
    [['run', WORKFLOW, '--input', '{not json'], /--input is not valid JSON/],
    [['run', WORKFLOW, '--input', '[1]'], /--input must be a JSON object/],
    [['run', 'missing.yaml', '--demo'], /workflow missing\.yaml not found/],
    [['run', 'missing.yaml'], /workflow missing\.yaml not found/],
    [['run', WORKFLOW, '--demo', '--name', 'bad name!'], /not a valid execution name/],
    [['run', WORKFLOW, '--demo', '--faults', 'x.json', '--endpoint', 'http://127.0.0.1:9'], /--faults applies to the embedded emulator only/],
  ])('%j', async (args, message) => {
    const result = await runCli(args, { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
    expect(result.stdout).toBe('');
  });

  it('refuses an input its shipped workflow cannot take, naming the field, the rule and the limit, before starting anything', async () => {
    const change = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-bp1d2v6ebu8tl7ohx4kmq', spec: 'Large.1' };
    const batch = join(ROOT, 'workflows', 'batch-modify-spec.yaml');
    const tooMany = JSON.stringify({ changes: Array.from({ length: MAX_BATCH_CHANGES + 1 }, () => change) });
    const refused = await runCli(['run', batch, '--input', tooMany, '--fast', '--json'], { cwd: scratch.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^Error: InvalidInput: changes: holds 8 changes; riflow-batch-modify-spec runs at most 7 in one execution: CloudFlow allows 5000 history events per execution \(https:\/\/help\.aliyun\.com\/en\/document_detail\/122093\.html\).* \[rule: batch-size\]/,
    );
    expect(refused.stderr).toMatch(/Nothing was started: fix the input of riflow-batch-modify-spec/);
    expect(refused.stdout).toBe('');
    expect(existsSync(join(scratch.dir, '.riflow'))).toBe(false);

    const badSpec = await runCli(['run', WORKFLOW, '--input', JSON.stringify({ ...change, spec: 'Huge.9' }), '--fast', '--json'], { cwd: scratch.dir });
    expect(badSpec.code).toBe(1);
    expect(badSpec.stderr).toMatch(/^Error: InvalidInput: spec: must be one of .* \[rule: enum\]/);
    expect(badSpec.stdout).toBe('');

    const fits = JSON.stringify({ changes: Array.from({ length: MAX_BATCH_CHANGES }, () => change) });
    const ran = await runCli(['run', batch, '--input', fits, '--fast', '--json', '--name', 'seven'], { cwd: scratch.dir });
    expect(ran.code).toBe(0);
    expect(ndjson(ran.stdout).at(-1)).toMatchObject({ type: 'result', status: 'Succeeded' });
  });

  it('refuses an invalid definition with file:line:column', async () => {
    writeFileSync(join(scratch.dir, 'broken.yaml'), 'Type: StateMachine\nSpecVersion: v1\nName: x\nStartAt: A\nStates:\n  - Type: Wait\n    Name: A\n    Seconds: 900\n    End: true\n');
    const result = await runCli(['run', 'broken.yaml', '--input', '{}'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:8:\d+ state "A" Seconds/);
  });

  it('refuses to reuse an execution name, as CloudFlow does', async () => {
    expect((await runCli(['run', WORKFLOW, '--demo', '--fast', '--name', 'twice'], { cwd: scratch.dir })).code).toBe(0);
    const again = await runCli(['run', WORKFLOW, '--demo', '--fast', '--name', 'twice'], { cwd: scratch.dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(existsSync(join(scratch.dir, '.riflow', 'executions', 'twice.ndjson'))).toBe(true);
  });
});
