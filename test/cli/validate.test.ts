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

  it('names a missing file', async () => {
    const result = await runCli(['validate', 'nope.yaml'], { cwd: scratch.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ nope\.yaml: no such file/);
  });
});
