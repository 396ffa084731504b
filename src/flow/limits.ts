/**
 * Every limit the CloudFlow docs state, one named value with the page that states it. The loader refuses a definition
 * beyond them; the interpreter fails an execution that crosses one at run time. Either way the message names the limit,
 * the state and the page (`citeLimit`). Choices where the docs are silent live in `policy.ts`, not here.
 *
 * Execution mode: riflow's flows are Standard (CreateFlow's ExecutionMode defaults to Standard; s.yaml sets none), so a
 * top-level execution gets the Standard values. Express mode's values (a Wait of 1–20 s, executions of at most
 * 5 minutes, RequestComplete tasks only) apply to the sub-workflow executions of a distributed Map whose
 * `ProcessorConfig.ExecutionMode` is Express, the one place an Express execution starts locally.
 */
export interface DocumentedLimit {
  readonly value: number;
  /** What the value bounds, worded to follow "CloudFlow's …": "longest Wait in Standard mode (seconds)". */
  readonly what: string;
  readonly page: string;
}

const DOCS = 'https://www.alibabacloud.com/help/en/serverless-workflow/latest';
// Table 4 of the Chinese limits page, "迭代(Map)状态的分布式模式相关配额限制" (per execution, adjustable by ticket); the
// English page's copy stops before it. The Map page says the same: "The default maximum concurrency is 100", "up to
// 10,000 iterations" (help.aliyun.com/en/document_detail/2412671.html).
const DISTRIBUTED_QUOTAS = 'https://www.alibabacloud.com/help/zh/serverless-workflow/latest/limits';

export const CLOUDFLOW_LIMITS = {
  // "Maximum events per execution: 5,000 (adjustable by ticket). Total events recorded during a single execution."
  historyEvents: { value: 5000, what: 'history events per execution', page: 'https://help.aliyun.com/en/document_detail/122093.html' },
  // "The size of the input and output of a state cannot exceed 64 KiB"; the limits page (122093) has the same 64 KiB
  // as the largest event data.
  stateDataBytes: { value: 64 * 1024, what: 'largest state input or output (bytes of JSON)', page: `${DOCS}/input-and-output` },
  waitSecondsMin: { value: 1, what: 'shortest Wait (seconds)', page: `${DOCS}/wait-wait` },
  waitSecondsMax: { value: 300, what: 'longest Wait in Standard mode (seconds)', page: `${DOCS}/wait-wait` },
  // "MaxConcuccency … Upper limit is 40"; the Map page: "the default maximum concurrency is 40" (so also the default).
  mapMaxConcurrency: { value: 40, what: 'largest inline Map MaxConcurrency (iterations at once)', page: `${DOCS}/inline-mode` },
  // Distributed mode (distributed-mode page): each sub-workflow execution has its own limits (the ones above).
  distributedMapMaxConcurrency: { value: 100, what: 'largest distributed Map MaxConcurrency (sub-workflow executions at once)', page: DISTRIBUTED_QUOTAS },
  distributedMapMaxItems: { value: 10_000, what: 'largest number of items of one distributed Map run (MaxItems)', page: DISTRIBUTED_QUOTAS },
  distributedMapOpenRuns: { value: 10, what: 'largest number of distributed Map runs open at once in one execution (MaxOpenMapRun)', page: DISTRIBUTED_QUOTAS },
  waitSecondsMaxExpress: { value: 20, what: 'longest Wait in Express mode (seconds)', page: `${DOCS}/wait-wait` },
  expressExecutionSecondsMax: { value: 300, what: 'longest Express-mode execution (seconds, 5 minutes)', page: `${DOCS}/standard-workflow-and-express-workflow` },
  parallelMaxBranches: { value: 50, what: 'largest number of branches of a Parallel state', page: `${DOCS}/parallel` },
  // "Valid values: 0 - 604800. A value of 0 indicates that the task never times out."
  taskTimeoutSecondsMax: { value: 604_800, what: 'longest Task Timeout (seconds; 0 = none)', page: `${DOCS}/task-task` },
  retryIntervalSecondsMax: { value: 86_400, what: 'longest Retry IntervalSeconds', page: `${DOCS}/error-handling` },
  retryMaxBackoffSecondsMax: { value: 86_400, what: 'longest Retry MaxBackoffSeconds', page: `${DOCS}/error-handling` },
  // "A maximum of 10 layers of nested built-in functions" (2025 page); "a maximum of 10 nested function calls are
  // supported per expression" (2026 page). Both read as nesting depth: f(g(x)) is 2.
  nestedFunctionCalls: {
    value: 10,
    what: 'nested built-in function calls in one expression',
    page: 'https://help.aliyun.com/document_detail/2579872.html',
  },
  standardExecutionSecondsMax: {
    value: 365 * 24 * 3600,
    what: 'longest Standard-mode execution (seconds, 1 year)',
    page: `${DOCS}/standard-workflow-and-express-workflow`,
  },
} as const satisfies Record<string, DocumentedLimit>;

/** "CloudFlow's longest Wait in Standard mode (seconds) is 300 (https://…/wait-wait)", for messages. */
export function citeLimit(limit: DocumentedLimit): string {
  return `CloudFlow's ${limit.what} is ${limit.value.toLocaleString('en-US')} (${limit.page})`;
}
