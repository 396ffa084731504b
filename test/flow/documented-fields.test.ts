// Only documented fields: any other field loads with a warning naming the page where that object's fields are listed,
// and the shipped workflows load with none.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_FIELDS } from '../../src/flow/documented-fields';
import { loadFlow, loadFlowFile } from '../../src/flow/loader';

const DOCS = 'https://www.alibabacloud.com/help/en/serverless-workflow/latest';
const header = 'Type: StateMachine\nSpecVersion: v1\nName: demo\nStartAt: A\nStates:\n';
const WORKFLOWS = join(import.meta.dirname, '..', '..', 'workflows');

/** 1-based line of the first line containing `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.indexOf(snippet);
  if (index < 0) throw new Error(`snippet not found: ${snippet}`);
  return text.slice(0, index).split('\n').length;
}

const processor = '    Processor:\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n';
const branch = '      - StartAt: X\n        States:\n          - Type: Pass\n            Name: X\n            End: true\n';

describe('a field the spec does not document is a warning naming its page', () => {
  const cases: Array<[string, string, string, string]> = [
    ['the top level', `Comment: hi\n${header}  - Type: Pass\n    Name: A\n    End: true\n`, 'Comment', 'process-definition-introduction'],
    ['a Task', `${header}  - Type: Task\n    Name: A\n    Action: FC:InvokeFunction\n    Resource: acs:fc:::functions/f\n    End: true\n`, 'Resource', 'task-task'],
    ['a Pass', `${header}  - Type: Pass\n    Name: A\n    Result: 1\n    End: true\n`, 'Result', 'pass-pass'],
    ['a Wait', `${header}  - Type: Wait\n    Name: A\n    Seconds: 1\n    UntilDateTime: "2030-01-01T00:00:00Z"\n    End: true\n`, 'UntilDateTime', 'wait-wait'],
    ['a Choice', `${header}  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.x == 1\n        Next: B\n    Default: B\n    Retry: []\n  - Type: Succeed\n    Name: B\n`, 'Retry', 'select-choice'],
    ['a Succeed', `${header}  - Type: Succeed\n    Name: A\n    Output: {}\n`, 'Output', 'succeeded'],
    ['a Fail', `${header}  - Type: Fail\n    Name: A\n    Code: Oops\n    Detail: d\n    Cause: c\n`, 'Cause', 'fail'],
    ['a Parallel', `${header}  - Type: Parallel\n    Name: A\n    Parameters: {}\n    Branches:\n${branch}    End: true\n`, 'Parameters', 'parallel'],
    ['a Map', `${header}  - Type: Map\n    Name: A\n    ItemsPath: $Input.items\n    ItemReader: {}\n${processor}    End: true\n`, 'ItemReader', 'inline-mode'],
    ['a Retry rule', `${header}  - Type: Task\n    Name: A\n    Action: X:Y\n    Retry:\n      - Description: d\n        Errors: [X]\n        IntervalSeconds: 1\n        MaxAttempts: 1\n        JitterStrategy: FULL\n    End: true\n`, 'JitterStrategy', 'error-handling'],
    ['a Catch rule', `${header}  - Type: Task\n    Name: A\n    Action: X:Y\n    Catch:\n      - Description: d\n        Errors: [FnF.ALL]\n        Next: A\n        ResultPath: $.error\n    End: true\n`, 'ResultPath', 'error-handling'],
    ['a Choice branch', `${header}  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.x == 1\n        Variable: $.x\n        Next: B\n    Default: B\n  - Type: Succeed\n    Name: B\n`, 'Variable', 'select-choice'],
    ['a Parallel branch', `${header}  - Type: Parallel\n    Name: A\n    Branches:\n      - StartAt: X\n        Comment: c\n        States:\n          - Type: Pass\n            Name: X\n            End: true\n    End: true\n`, 'Comment', 'parallel'],
    ['a Map Processor', `${header}  - Type: Map\n    Name: A\n    ItemsPath: $Input.items\n    Processor:\n      ProcessorConfig: {}\n      StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n    End: true\n`, 'ProcessorConfig', 'inline-mode'],
  ];

  it.each(cases)('%s', (name, text, field, page) => {
    const { warnings } = loadFlow(text);
    expect(warnings).toEqual([
      expect.objectContaining({
        field,
        line: lineOf(text, `${field}:`),
        message: expect.stringMatching(new RegExp(`^is not a documented field of .* \\(${DOCS}/${page} lists .*\\); the interpreter ignores it, and CloudFlow may refuse it$`)),
      }),
    ]);
    expect(warnings[0]?.state).toBe(name === 'the top level' ? undefined : 'A');
  });

  it.each([
    ['the flow-level Timeout', `${header.replace('StartAt', 'Timeout: 600\nStartAt')}  - Type: Pass\n    Name: A\n    End: true\n`, 'Timeout', /the interpreter honours it as the execution deadline/],
    ['an OutputConstructor on a Choice', `${header}  - Type: Choice\n    Name: A\n    Branches:\n      - Condition: $Input.x == 1\n        Next: B\n    Default: B\n    OutputConstructor:\n      y: 1\n  - Type: Succeed\n    Name: B\n`, 'OutputConstructor', /the interpreter applies it to the Choice output/],
    ['End on a Fail', `${header}  - Type: Fail\n    Name: A\n    Code: Oops\n    Detail: d\n    End: true\n`, 'End', /the interpreter accepts it/],
  ])('%s: read anyway, and the warning says what the interpreter does with it', (_name, text, field, effect) => {
    const flow = loadFlow(text);
    expect(flow.warnings).toEqual([expect.objectContaining({ field, message: expect.stringMatching(effect) })]);
    if (field === 'Timeout') expect(flow.timeoutSeconds).toBe(600);
  });

  it('a definition using every documented field of every state type loads without a warning', () => {
    const text = `Type: StateMachine
SpecVersion: v1
Name: demo
Description: every documented field
StartAt: T
States:
  - Type: Task
    Name: T
    Description: d
    Action: FC:InvokeFunction
    TaskMode: RequestComplete
    InputConstructor:
      a: 1
    Parameters:
      resourceArn: acs:fc:::functions/f
    Timeout: "30"
    Retry:
      - Errors: [X]
        Description: d
        MaxAttempts: 1
        IntervalSeconds: 1
        BackoffRate: 2
        MaxBackoffSeconds: 10
    Catch:
      - Errors: [FnF.ALL]
        Description: d
        Next: F
        OutputConstructor:
          e.$: $Context.Current.Error.Code
    OutputConstructor:
      b.$: $Output.Body
    Next: T2
  - Type: Task
    Name: T2
    Action: FC:InvokeFunction
    Timeout.$: $Input.timeout
    End: false
    Next: W
  - Type: Wait
    Name: W
    Description: d
    Seconds: 1
    InputConstructor: {}
    OutputConstructor: {}
    Next: W2
  - Type: Wait
    Name: W2
    Seconds.$: $Input.next
    Next: C
  - Type: Choice
    Name: C
    Description: d
    InputConstructor: {}
    Branches:
      - Condition: $Input.x == 1
        Next: Par
    Default: M
  - Type: Parallel
    Name: Par
    Description: d
    InputConstructor: {}
    Branches:
      - StartAt: X
        States:
          - Type: Pass
            Name: X
            Description: d
            InputConstructor: {}
            OutputConstructor: {}
            End: true
    OutputConstructor: {}
    Retry: []
    Catch: []
    Next: M
  - Type: Map
    Name: M
    Description: d
    InputConstructor: {}
    ItemsPath: $Input.items
    Processor:
      StartAt: S
      States:
        - Type: Succeed
          Name: S
          Description: d
          InputConstructor: {}
          OutputConstructor: {}
    OutputConstructor: {}
    MaxConcurrency: 5
    Retry: []
    Catch: []
    End: true
  - Type: Fail
    Name: F
    Description: d
    InputConstructor: {}
    OutputConstructor: {}
    Code: Oops
    Detail: d
`;
    expect(loadFlow(text).warnings).toEqual([]);
  });

  it('every table names a page of the current CloudFlow docs', () => {
    for (const table of Object.values(DOCUMENTED_FIELDS)) expect(table.page).toMatch(new RegExp(`^${DOCS}/[a-z-]+$`));
  });
});

describe('the shipped workflows', () => {
  const files = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.yaml'));

  it.each(files)('%s uses only documented fields (no warnings) and no flow-level Timeout', async (file) => {
    const flow = await loadFlowFile(join(WORKFLOWS, file));
    expect(flow.warnings).toEqual([]);
    expect(flow.timeoutSeconds).toBeUndefined();
  });
});
