import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowValidationError, type ValidationProblem } from '../../src/flow/errors';
import { loadFlow, loadFlowFile } from '../../src/flow/loader';

const fixture = join(import.meta.dirname, 'fixtures', 'ri-connect.yaml');
const reference = readFileSync(fixture, 'utf8');

function problemsOf(text: string, expectedName?: string): ValidationProblem[] {
  try {
    loadFlow(text, expectedName === undefined ? {} : { expectedName });
  } catch (error) {
    if (error instanceof FlowValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the definition to be rejected');
}

/** 1-based line of the first line containing `snippet` (after `from`, to tell repeated snippets apart). */
function lineOf(text: string, snippet: string, from = ''): number {
  const start = from ? text.indexOf(from) : 0;
  const index = text.indexOf(snippet, start);
  if (index < 0) throw new Error(`snippet not found: ${snippet}`);
  return text.slice(0, index).split('\n').length;
}

const header = 'Type: StateMachine\nSpecVersion: v1\nName: demo\nStartAt: A\nStates:\n';

describe('the reference example', () => {
  it('loads with every state, rule and expression', async () => {
    const flow = await loadFlowFile(fixture, { expectedName: 'ri-connect' });
    expect(flow.name).toBe('ri-connect');
    expect(flow.timeoutSeconds).toBe(3600);
    expect([...flow.scope.states.keys()]).toEqual(['Connect', 'Describe', 'IsActive', 'Backoff', 'Modify', 'TimedOut', 'ConnectFailed']);
    const connect = flow.scope.states.get('Connect');
    expect(connect?.type === 'Task' && connect.retry[0]).toEqual({
      errors: ['FC.ResourceThrottled', 'FC.ResourceExhausted'],
      description: 'transient FC errors',
      intervalSeconds: 2,
      maxAttempts: 3,
      backoffRate: 2,
      maxBackoffSeconds: 30,
    });
    // The reference's flow-level Timeout is not in the current spec: honoured, with a warning.
    expect(flow.warnings).toEqual([
      expect.objectContaining({ field: 'Timeout', line: lineOf(reference, 'Timeout: 3600'), message: expect.stringMatching(/^is not a documented field of the flow .*honours it as the execution deadline/) }),
    ]);
    expect(flow.sourcePath).toBe(fixture);
  });

  it('also loads as JSON', () => {
    const json = JSON.stringify({ Type: 'StateMachine', SpecVersion: 'v1', Name: 'j', StartAt: 'P', States: [{ Type: 'Pass', Name: 'P', End: true }] });
    expect(loadFlow(json).scope.startAt).toBe('P');
  });
});

describe('the five loader cases of the reference (§3.7 case 5), each with its line', () => {
  it('Wait Seconds: 301', () => {
    const text = reference.replace('Seconds: 10 ', 'Seconds: 301 ');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ state: 'Backoff', field: 'Seconds', line: lineOf(text, 'Seconds: 301'), message: expect.stringMatching(/^must be between 1 and 300, got 301: CloudFlow's longest Wait in Standard mode \(seconds\) is 300 \(https:\/\/\S+\/wait-wait\)$/) }),
    ]);
  });

  it('a Choice without Default', () => {
    const text = reference.replace('    Default: Backoff\n', '');
    const problems = problemsOf(text);
    expect(problems).toContainEqual(
      expect.objectContaining({ state: 'IsActive', field: 'Default', line: lineOf(text, 'Name: IsActive') - 1, message: 'is required on a Choice state' }),
    );
    // Backoff is then reachable from nowhere: reported too, all at once.
    expect(problems.map((p) => p.state)).toContain('Backoff');
  });

  it('a Next naming a missing state', () => {
    const text = reference.replace('Next: Describe\n  - Type: Task', 'Next: Describes\n  - Type: Task');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ state: 'Connect', field: 'Next', line: lineOf(text, 'Next: Describes'), column: 11, path: 'States[0].Next' });
    expect(problem?.message).toMatch(/names "Describes", which is not a state in this scope \(states: Connect, Describe/);
  });

  it('a Retry missing IntervalSeconds and MaxAttempts', () => {
    const text = reference.replace('        IntervalSeconds: 2\n        MaxAttempts: 3\n', '');
    const ruleLine = lineOf(text, '- Description: transient FC errors');
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ state: 'Connect', field: 'IntervalSeconds', path: 'States[0].Retry[0].IntervalSeconds', line: ruleLine, message: 'is required' }),
      expect.objectContaining({ state: 'Connect', field: 'MaxAttempts', line: ruleLine, message: 'is required' }),
    ]);
  });

  it('a .$ key whose value is not an expression, pointing at the character', () => {
    const text = reference.replace('requestId.$: $Output.Body.requestId', 'requestId.$: Output.Body.requestId');
    const [problem] = problemsOf(text);
    const line = lineOf(text, 'requestId.$: Output');
    const column = (text.split('\n')[line - 1] as string).indexOf('Output') + 1;
    expect(problem).toMatchObject({ state: 'Connect', field: 'OutputConstructor.requestId.$', line, column });
    expect(problem?.message).toMatch(/invalid expression "Output.Body.requestId": unexpected name "Output"/);
  });

  it('definition Name different from the deployed flow name', () => {
    expect(problemsOf(reference, 'ri-connect-prod')).toEqual([
      expect.objectContaining({ field: 'Name', line: 3, column: 7, message: expect.stringMatching(/is "ri-connect" but the flow is deployed as "ri-connect-prod"/) }),
    ]);
  });
});

describe('one case per rule', () => {
  const cases: Array<[string, string, Partial<ValidationProblem> & { snippet: string }]> = [
    ['Task without Action', '  - Type: Task\n    Name: A\n    End: true\n', { field: 'Action', message: 'is required', snippet: '- Type: Task' }],
    ['unknown state type', '  - Type: Sleep\n    Name: A\n    End: true\n', { field: 'Type', snippet: 'Sleep', message: 'must be one of Task, Pass, Wait, Choice, Succeed, Fail, Parallel, Map' }],
    ['state without Name', '  - Type: Pass\n    End: true\n', { field: 'Name', message: 'is required', snippet: '- Type: Pass' }],
    ['neither Next nor End', '  - Type: Pass\n    Name: A\n', { field: 'Next', message: 'is required unless the state has End: true', snippet: '- Type: Pass' }],
    ['both Next and End', '  - Type: Pass\n    Name: A\n    Next: A\n    End: true\n', { field: 'End', message: 'cannot be combined with Next; keep one of them', snippet: 'End: true' }],
    ['End not boolean', '  - Type: Pass\n    Name: A\n    End: yes-please\n', { field: 'End', message: 'must be true or false', snippet: 'yes-please' }],
    ['Choice with End', '  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.x == 1\n        Next: A\n    Default: A\n    End: true\n', { field: 'End', message: expect.stringMatching(/not allowed on a Choice/) as unknown as string, snippet: 'End: true' }],
    ['Choice branch without Condition', '  - Type: Choice\n    Name: A\n    Branches:\n      - Next: A\n    Default: A\n', { field: 'Condition', path: 'States[0].Branches[0].Condition', message: 'is required', snippet: '- Next: A' }],
    ['Choice condition using $Output', '  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Output.x == 1\n        Next: A\n    Default: A\n', { field: 'Condition', message: "$Output can only be used in a state's OutputConstructor", snippet: '$Output.x' }],
    ['Succeed with Next', '  - Type: Succeed\n    Name: A\n    Next: A\n', { field: 'Next', message: 'is not allowed: Succeed and Fail states end their scope', snippet: 'Next: A' }],
    ['Wait Seconds 0', '  - Type: Wait\n    Name: A\n    Seconds: 0\n    End: true\n', { field: 'Seconds', message: expect.stringMatching(/^must be between 1 and 300, got 0: CloudFlow's shortest Wait \(seconds\) is 1 /) as unknown as string, snippet: 'Seconds: 0' }],
    ['Wait without Seconds', '  - Type: Wait\n    Name: A\n    End: true\n', { field: 'Seconds', message: 'is required (1..300, or Seconds.$ with an expression)', snippet: '- Type: Wait' }],
    ['Wait Seconds.$ bad expression', '  - Type: Wait\n    Name: A\n    Seconds.$: $Input.(\n    End: true\n', { field: 'Seconds.$', snippet: '$Input.(' }],
    ['Retry above 86,400 s', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: d\n        Errors: [X]\n        IntervalSeconds: 86401\n        MaxAttempts: 1\n    End: true\n', { field: 'IntervalSeconds', message: expect.stringMatching(/^must be between 1 and 86400, got 86401: CloudFlow's longest Retry IntervalSeconds is 86,400 \(\S+\/error-handling\)$/) as unknown as string, snippet: '86401' }],
    ['Retry MaxBackoffSeconds above the cap', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: d\n        Errors: [X]\n        IntervalSeconds: 1\n        MaxAttempts: 1\n        MaxBackoffSeconds: 90000\n    End: true\n', { field: 'MaxBackoffSeconds', message: expect.stringMatching(/got 90000: CloudFlow's longest Retry MaxBackoffSeconds is 86,400 /) as unknown as string, snippet: '90000' }],
    ['Retry BackoffRate below 1', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: d\n        Errors: [X]\n        IntervalSeconds: 1\n        MaxAttempts: 1\n        BackoffRate: 0.5\n    End: true\n', { field: 'BackoffRate', message: 'must be at least 1, got 0.5', snippet: '0.5' }],
    ['Retry without Errors', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Retry:\n      - Description: d\n        IntervalSeconds: 1\n        MaxAttempts: 1\n    End: true\n', { field: 'Errors', snippet: '- Description: d' }],
    ['Catch without Next', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Catch:\n      - Description: d\n        Errors: [FnF.ALL]\n    End: true\n', { field: 'Next', path: 'States[0].Catch[0].Next', message: 'is required', snippet: '- Description: d' }],
    ['Catch OutputConstructor reading $Output', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Catch:\n      - Description: d\n        Errors: [FnF.ALL]\n        Next: A\n        OutputConstructor:\n          x.$: $Output.Body\n    End: true\n', { field: 'OutputConstructor.x.$', snippet: 'x.$' }],
    ['InputConstructor reading $Output', '  - Type: Pass\n    Name: A\n    InputConstructor:\n      x.$: $Output.y\n    End: true\n', { field: 'InputConstructor.x.$', snippet: 'x.$' }],
    ['constructor that is not a mapping', '  - Type: Pass\n    Name: A\n    OutputConstructor: [1, 2]\n    End: true\n', { field: 'OutputConstructor', message: expect.stringMatching(/must be a mapping/) as unknown as string, snippet: '[1, 2]' }],
    ['Task Timeout not a number', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Timeout: soon\n    End: true\n', { field: 'Timeout', message: 'must be an integer', snippet: 'soon' }],
    ['Parallel without Branches', '  - Type: Parallel\n    Name: A\n    End: true\n', { field: 'Branches', snippet: '- Type: Parallel' }],
    ['Map without ItemsPath and Processor', '  - Type: Map\n    Name: A\n    End: true\n', { field: 'ItemsPath', snippet: '- Type: Map' }],
    ['Map MaxConcurrency negative', '  - Type: Map\n    Name: A\n    ItemsPath: $Input.items\n    MaxConcurrency: -1\n    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n', { field: 'MaxConcurrency', snippet: '-1' }],
    ['unknown function in a constructor', '  - Type: Pass\n    Name: A\n    OutputConstructor:\n      id.$: guid()\n    End: true\n', { field: 'OutputConstructor.id.$', message: expect.stringMatching(/unknown function "guid"/) as unknown as string, snippet: 'guid' }],
    ['OnErrors (legacy)', '  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    OnErrors:\n      - Errors: [FnF.ALL]\n        Next: A\n    End: true\n', { field: 'OnErrors', message: expect.stringMatching(/OnErrors is the retired .* write Retry: .* and Catch: /) as unknown as string, snippet: 'OnErrors' }],
  ];
  it.each(cases)('%s', (_name, states, expected) => {
    const text = header + states;
    const { snippet, ...fields } = expected;
    const problems = problemsOf(text);
    expect(problems).toContainEqual(expect.objectContaining({ ...fields, line: lineOf(text, snippet, 'States:') }));
  });

  it('duplicate names in one scope, and the same name in another scope is fine', () => {
    const text = `${header}  - Type: Pass\n    Name: A\n    Next: B\n  - Type: Pass\n    Name: B\n    Next: P\n  - Type: Pass\n    Name: B\n    End: true\n  - Type: Parallel\n    Name: P\n    Branches:\n      - StartAt: A\n        States:\n          - Type: Pass\n            Name: A\n            End: true\n    End: true\n`;
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({ state: 'B', field: 'Name', line: lineOf(text, 'Name: B', 'Next: P'), message: "duplicates another state's name in this scope" }),
    ]);
  });

  it('Next must resolve within its own scope, not the parent', () => {
    const text = `${header}  - Type: Parallel\n    Name: A\n    Branches:\n      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            Next: Outside\n    Next: Outside\n  - Type: Succeed\n    Name: Outside\n`;
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ path: 'States[0].Branches[0].States[0].Next', state: 'X', line: lineOf(text, 'Next: Outside'), message: expect.stringMatching(/"Outside", which is not a state in this scope \(states: X\)/) }),
    ]);
  });

  it('unreachable states', () => {
    const text = `${header}  - Type: Pass\n    Name: A\n    End: true\n  - Type: Pass\n    Name: Lonely\n    End: true\n`;
    expect(problemsOf(text)).toEqual([expect.objectContaining({ state: 'Lonely', line: lineOf(text, 'Name: Lonely') - 1, message: expect.stringMatching(/is unreachable/) })]);
  });

  it('more than 50 Parallel branches', () => {
    const branch = '      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            End: true\n';
    const text = `${header}  - Type: Parallel\n    Name: A\n    Branches:\n${branch.repeat(51)}    End: true\n`;
    expect(problemsOf(text)).toEqual([expect.objectContaining({ field: 'Branches', line: 9, message: expect.stringMatching(/^has 51 branches: CloudFlow's largest number of branches of a Parallel state is 50 \(\S+\/parallel\)$/) })]);
    expect(() => loadFlow(`${header}  - Type: Parallel\n    Name: A\n    Branches:\n${branch.repeat(50)}    End: true\n`)).not.toThrow();
  });

  it('reports every problem at once, sorted by line, with a readable message', () => {
    const text = `${header}  - Type: Wait\n    Name: A\n    Seconds: 500\n    Next: Nowhere\n  - Type: Choice\n    Name: B\n    Branches: []\n`;
    let error: FlowValidationError | undefined;
    try {
      loadFlow(text, { path: 'flows/demo.yaml' });
    } catch (caught) {
      error = caught as FlowValidationError;
    }
    expect(error?.problems.map((p) => [p.line, p.field])).toEqual([
      [8, 'Seconds'],
      [9, 'Next'],
      [10, 'Default'],
      [10, 'Name'],
    ]);
    expect(error?.message).toContain('flows/demo.yaml:8:14 state "A" Seconds: must be between 1 and 300, got 500: CloudFlow\'s longest Wait');
  });
});

describe('top level and legacy shapes', () => {
  it('refuses the old FDL with what to write instead', () => {
    const problems = problemsOf('version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: a\n');
    expect(problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/old FDL dialect .* write the current spec instead: Type: StateMachine, SpecVersion: v1/) }),
    ]);
  });

  it('checks Type, SpecVersion, Name, StartAt and States', () => {
    const problems = problemsOf('Type: Flow\nSpecVersion: v2\nStates: []\n');
    expect(problems.map((p) => `${p.line}:${p.field}:${p.message}`)).toEqual([
      '1:Name:is required',
      '1:StartAt:is required',
      '1:Type:must be StateMachine, got "Flow"',
      '2:SpecVersion:must be v1, got "v2"',
      '3:States:must hold at least one state',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with positions', () => {
    expect(problemsOf('Type: StateMachine\nName: [oops\n')[0]).toMatchObject({ message: expect.stringMatching(/^YAML syntax/) });
    expect(problemsOf('Type: StateMachine\nType: StateMachine\n')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/unique/) });
  });

  it('warns (without failing) on unknown fields and on Retry/Catch rules without Description', () => {
    const flow = loadFlow(`${header}  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Colour: blue\n    Retry:\n      - Errors: [X]\n        IntervalSeconds: 1\n        MaxAttempts: 1\n    End: true\n`);
    expect(flow.warnings.map((w) => `${w.line}:${w.field}`)).toEqual(['9:Colour', '11:Description']);
  });
});
