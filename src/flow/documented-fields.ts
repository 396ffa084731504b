/**
 * The fields the current CloudFlow spec documents, per state type, for the flow's top level and for the objects
 * nested in states, each with the page whose field table lists them. The loader warns about any other field, naming
 * the page, so that a shipped workflow uses only what the cloud documents (the interpreter may still read a few
 * undocumented ones, see `READ_ANYWAY` in the loader and `validate-states.ts`).
 */
export interface DocumentedFields {
  /** Says what the fields belong to, after "a documented field of …": "a Task state". */
  readonly of: string;
  readonly fields: readonly string[];
  readonly page: string;
}

const DOCS = 'https://www.alibabacloud.com/help/en/serverless-workflow/latest';

export const DOCUMENTED_FIELDS = {
  // The flow attribute table of the FDL page (help.aliyun.com/document_detail/2412487.html); a top-level Description
  // also appears in the Fail page's example. There is no flow-level Timeout in the current spec (the old FDL had
  // timeoutSeconds).
  flow: { of: 'the flow', fields: ['Type', 'Name', 'SpecVersion', 'Description', 'StartAt', 'States'], page: `${DOCS}/process-definition-introduction` },
  Task: {
    of: 'a Task state',
    fields: ['Name', 'Description', 'Type', 'Action', 'TaskMode', 'InputConstructor', 'Parameters', 'Timeout', 'Timeout.$', 'Retry', 'Catch', 'OutputConstructor', 'Next', 'End'],
    page: `${DOCS}/task-task`,
  },
  Pass: { of: 'a Pass state', fields: ['Name', 'Description', 'Type', 'Next', 'End', 'InputConstructor', 'OutputConstructor'], page: `${DOCS}/pass-pass` },
  // `Seconds.$` is the page's "Set the wait duration dynamically" example.
  Wait: {
    of: 'a Wait state',
    fields: ['Type', 'Name', 'Seconds', 'Seconds.$', 'Description', 'Next', 'End', 'InputConstructor', 'OutputConstructor'],
    page: `${DOCS}/wait-wait`,
  },
  // No OutputConstructor, Next or End on a Choice.
  Choice: { of: 'a Choice state', fields: ['Name', 'Description', 'Type', 'InputConstructor', 'Default', 'Branches'], page: `${DOCS}/select-choice` },
  Succeed: { of: 'a Succeed state', fields: ['Name', 'Description', 'Type', 'InputConstructor', 'OutputConstructor'], page: `${DOCS}/succeeded` },
  Fail: { of: 'a Fail state', fields: ['Name', 'Description', 'Type', 'InputConstructor', 'OutputConstructor', 'Code', 'Detail'], page: `${DOCS}/fail` },
  Parallel: {
    of: 'a Parallel state',
    fields: ['Name', 'Description', 'Type', 'InputConstructor', 'Branches', 'OutputConstructor', 'Next', 'End', 'Retry', 'Catch'],
    page: `${DOCS}/parallel`,
  },
  // The field table spells the concurrency field MaxConcuccency; the limits page (its Map quota table) and the prose
  // say MaxConcurrency. Both are listed; which one the engine reads is not documented (policy mapConcurrencyFields).
  Map: {
    of: 'an inline Map state',
    fields: ['Name', 'Type', 'ItemsPath', 'Processor', 'InputConstructor', 'OutputConstructor', 'MaxConcurrency', 'MaxConcuccency', 'Next', 'End', 'Retry', 'Catch', 'Description'],
    page: `${DOCS}/inline-mode`,
  },
  // The distributed-mode field table (its last rows and the ItemBatcher section could only be read in part: the
  // ItemBatcher fields are the ones that section names, as Step Functions spells them). MaxConcuccency as in the
  // inline table; both spellings are read (policy mapConcurrencyFields).
  distributedMap: {
    of: 'a distributed Map state',
    fields: [
      'Name', 'Description', 'Type', 'InputConstructor', 'ItemsPath', 'ItemBatcher', 'ItemReader', 'ItemConstructor', 'ResultWriter',
      'MaxConcurrency', 'MaxConcuccency', 'MaxItems', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Processor', 'ProcessorConfig',
      'OutputConstructor', 'Next', 'End', 'Retry', 'Catch',
    ],
    page: `${DOCS}/distributed-mode`,
  },
  processorConfig: { of: 'a distributed Map ProcessorConfig', fields: ['ExecutionMode'], page: `${DOCS}/distributed-mode` },
  itemBatcher: { of: 'a distributed Map ItemBatcher', fields: ['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'], page: `${DOCS}/distributed-mode` },
  retryRule: { of: 'a Retry rule', fields: ['Errors', 'Description', 'MaxAttempts', 'IntervalSeconds', 'BackoffRate', 'MaxBackoffSeconds'], page: `${DOCS}/error-handling` },
  catchRule: { of: 'a Catch rule', fields: ['Errors', 'Description', 'Next', 'OutputConstructor'], page: `${DOCS}/error-handling` },
  choiceBranch: { of: 'a Choice branch', fields: ['Condition', 'Next'], page: `${DOCS}/select-choice` },
  parallelBranch: { of: 'a Parallel branch', fields: ['StartAt', 'States'], page: `${DOCS}/parallel` },
  mapProcessor: { of: 'a Map Processor', fields: ['StartAt', 'States'], page: `${DOCS}/inline-mode` },
} as const satisfies Record<string, DocumentedFields>;

/** The warning for a field outside `table`; `readBy` says what the interpreter does with it, when it reads it anyway. */
export function undocumentedFieldMessage(table: DocumentedFields, readBy?: string): string {
  const effect = readBy ?? 'the interpreter ignores it';
  return `is not a documented field of ${table.of} (${table.page} lists ${table.fields.join(', ')}); ${effect}, and CloudFlow may refuse it`;
}
