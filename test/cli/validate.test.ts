import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchDir } from './helpers';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const S_YAML = `edition: 3.0.0
name: demo
resources:
  describe:
    component: fc3
    props:
      functionName: riflow-describe
      code: ./dist/functions/describe
  flow:
    component: flow
    props:
      name: riflow-poll
      definition: ./dist/workflows/poll.yaml
`;

describe('riflow validate', () => {
  it('accepts the shipped workflows (exit 0)', async () => {
    const result = await runCli(['validate', 'workflows/connect-and-modify-spec.yaml', 'workflows/modify-spec.yaml', 'workflows/deactivate.yaml', 'workflows/batch-modify-spec.yaml'], { cwd: ROOT });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4 workflows valid/);
    // Only documented fields: not a single warning.
    expect(result.stdout).not.toMatch(/warning/);
  });

  it('refuses a documented limit and warns about an undocumented field, each with the page (exit 1)', async () => {
    writeFileSync(
      join(scratch.dir, 'limits.yaml'),
      [
        'Type: StateMachine', // 1
        'SpecVersion: v1', // 2
        'Name: limits', // 3
        'Timeout: 600', // 4
        'StartAt: Each', // 5
        'States:', // 6
        '  - Type: Map', // 7
        '    Name: Each', // 8
        '    ItemsPath: $Input.items', // 9
        '    MaxConcurrency: 41', // 10
        '    Processor:', // 11
        '      StartAt: P', // 12
        '      States:', // 13
        '        - Type: Pass', // 14
        '          Name: P', // 15
        '          End: true', // 16
        '    End: true', // 17
        '',
      ].join('\n'),
    );
    const result = await runCli(['validate', 'limits.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /warning limits\.yaml:4:1 Timeout: is not a documented field of the flow \(https:\/\/\S+\/process-definition-introduction lists .*\); the interpreter honours it/,
    );
    expect(result.stdout).toMatch(
      /✗ limits\.yaml:10:21 state "Each" MaxConcurrency: must be between 0 and 40, got 41: CloudFlow's largest inline Map MaxConcurrency \(iterations at once\) is 40 \(https:\/\/\S+\/inline-mode\)/,
    );
  });

  it('reports every problem with file:line:column, state and field (exit 1)', async () => {
    writeFileSync(
      join(scratch.dir, 'broken.yaml'),
      [
        'Type: StateMachine', // 1
        'SpecVersion: v1', // 2
        'Name: broken', // 3
        'StartAt: Poll', // 4
        'States:', // 5
        '  - Type: Wait', // 6
        '    Name: Poll', // 7
        '    Seconds: 301', // 8
        '    Next: Nowhere', // 9
        '  - Type: Choice', // 10
        '    Name: Pick', // 11
        '    Branches: []', // 12
        '',
      ].join('\n'),
    );
    const result = await runCli(['validate', 'broken.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ broken\.yaml:8:\d+ state "Poll" Seconds: /);
    expect(result.stdout).toMatch(/✗ broken\.yaml:9:\d+ state "Poll" Next: .*Nowhere/);
    expect(result.stdout).toMatch(/✗ broken\.yaml:1[0-2]:\d+ state "Pick" /);
    expect(result.stdout).toMatch(/\d+ problems in 1 of 1 file/);
  });

  it('reports a YAML syntax error with its line', async () => {
    writeFileSync(join(scratch.dir, 'syntax.yaml'), 'Type: StateMachine\nName: [unclosed\n');
    const result = await runCli(['validate', 'syntax.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/syntax\.yaml:\d+:\d+ .*YAML syntax/);
  });

  it('checks Name and function ARNs against the s.yaml beside the workflows folder', async () => {
    mkdirSync(join(scratch.dir, 'workflows'));
    writeFileSync(join(scratch.dir, 's.yaml'), S_YAML);
    writeFileSync(
      join(scratch.dir, 'workflows', 'poll.yaml'),
      [
        'Type: StateMachine',
        'SpecVersion: v1',
        'Name: riflow-pol', // 3: typo, deployed as riflow-poll
        'StartAt: Read',
        'States:',
        '  - Type: Task',
        '    Name: Read',
        '    Action: FC:InvokeFunction',
        '    Parameters:',
        '      resourceArn: acs:fc:{{region}}:{{accountId}}:functions/riflow-describ/LATEST', // 10
        '      invocationType: Sync',
        '    OutputConstructor:',
        '      status.$: $Output.Body.status',
        '    End: true',
        '',
      ].join('\n'),
    );
    const result = await runCli(['validate', 'workflows/poll.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/workflows\/poll\.yaml:3:7 Name: is "riflow-pol" but .*"riflow-poll"/);
    expect(result.stdout).toMatch(/workflows\/poll\.yaml:10:20 state "Read" Parameters\.resourceArn: function "riflow-describ" is not in s\.yaml/);
  });

  it('reads components as Serverless Devs does (fc3@version, fnf), and names a broken s.yaml with its line', async () => {
    mkdirSync(join(scratch.dir, 'workflows'));
    const pinned = S_YAML.replace('component: fc3', 'component: fc3@0.1.22').replace('component: flow', 'component: fnf');
    writeFileSync(join(scratch.dir, 's.yaml'), pinned);
    const poll = [
      'Type: StateMachine',
      'SpecVersion: v1',
      'Name: riflow-poll',
      'StartAt: Read',
      'States:',
      '  - Type: Task',
      '    Name: Read',
      '    Action: FC:InvokeFunction',
      '    Parameters:',
      '      resourceArn: acs:fc:{{region}}:{{accountId}}:functions/riflow-describe/LATEST',
      '      invocationType: Sync',
      '    End: true',
      '',
    ].join('\n');
    writeFileSync(join(scratch.dir, 'workflows', 'poll.yaml'), poll);
    const valid = await runCli(['validate', 'workflows/poll.yaml'], { cwd: scratch.dir });
    expect(valid.stdout).toMatch(/1 workflow valid/);
    expect(valid.code).toBe(0);

    writeFileSync(join(scratch.dir, 's.yaml'), 'resources:\n  describe: [1, 2\n');
    const broken = await runCli(['validate', 'workflows/poll.yaml'], { cwd: scratch.dir });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/cannot read .*s\.yaml: .*at line \d+, column \d+/);
  });

  it('names a missing file', async () => {
    const result = await runCli(['validate', 'nope.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ nope\.yaml: no such file/);
  });
});
