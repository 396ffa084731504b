/**
 * Every behaviour the public CloudFlow documents leave open, in one place. Each entry says what we chose and why, so a
 * comparison with a real CloudFlow execution history can flip it. Pass a modified copy as `startExecution(..., {policy})`.
 * What the docs do state (64 KiB per state, Wait 1–300 s, Map MaxConcurrency ≤ 40, …) is in `limits.ts`; what the local
 * Function Compute runtime chooses (how a thrown error becomes errorType) is in `src/local-fc/policy.ts`.
 *
 * Every field is read by the interpreter. Choices the docs leave open that the interpreter implements one way only,
 * so that a recorded result cannot flip them without code, are listed here rather than as fields:
 * - Retry: at most `1 + MaxAttempts` calls; the counter belongs to one rule within one state visit (retry.ts), and
 *   starts from zero each time a state is entered again, e.g. in a Choice loop (visit.ts).
 * - A `Fail` inside a Parallel branch or Map iteration fails the parent with the Fail's `Code`, which the parent's
 *   own Retry/Catch can match (not documented; this is the ASL behaviour).
 * - `<`, `<=`, `>`, `>=` on values that are not both numbers or both strings are false (never an error); a Choice
 *   `Condition` (and each `&&`/`||`/`!` operand) counts as true only when it evaluates to boolean `true`.
 * - Task output when there is no OutputConstructor: the raw `$Output` (`{Body: …}` for FC:InvokeFunction).
 * - `$Output` is refused in Catch.OutputConstructor (a failed state has no output); `$Input` there is the input the
 *   failed state received, and `$Context.Current.Error.{Code,Detail}` is the error.
 * - `MaxConcurrency: 0` is not documented (ASL reads it as "no limit"): it means the documented maximum, 40, which is
 *   also what an absent MaxConcurrency means (documented).
 * What the docs do say is not a choice: only the first Retry rule whose `Errors` match is considered, even when it is
 * exhausted (retry.ts).
 */
import { CLOUDFLOW_LIMITS } from './limits';

export interface CloudFlowPolicy {
  /** Error names the interpreter itself raises. */
  readonly errorNames: {
    /** Matches every error in Retry/Catch `Errors` (documented). */
    readonly all: string;
    /** The execution ran longer than the flow's `Timeout` (name not documented; `FnF.Timeout` per the old samples' style). */
    readonly executionTimeout: string;
    /** A Task ran longer than its own `Timeout` (`FnF.TaskTimeout` is what the official samples retry on). */
    readonly taskTimeout: string;
    /** A state's output (or the execution input) is not a JSON object. */
    readonly invalidOutput: string;
    /** The execution input is not a JSON object. */
    readonly invalidInput: string;
    /** A state input or output above the documented 64 KiB (limits.ts stateDataBytes). */
    readonly dataSizeExceeded: string;
    /** An expression failed while running: a function called with the wrong types, bad JSON in stringToJson, … */
    readonly expression: string;
    /** A `Fail` state without `Code`. */
    readonly failWithoutCode: string;
    /** A Map's `ItemsPath` is not an array or an item is not an object; a Wait's `Seconds.$` or a Task's `Timeout.$`
     * gives a value outside its documented range (limits.ts). */
    readonly invalidStateData: string;
    /** A task error that carries no usable name: CloudFlow's name for a function error without errorType (the
     * official samples retry `FC.Unknown` beside a function's own errorType). Also what an error thrown without a
     * name is called anywhere in a run. */
    readonly fcUnknown: string;
    /** The function an FC:InvokeFunction task names does not exist: CloudFlow's documented `FC.{ErrorCode}` for a
     * non-200 FC answer (help.aliyun.com/document_detail/2500862.html), with FC's code FunctionNotFound. Raised by the
     * task invokers. */
    readonly fcFunctionNotFound: string;
    /** A task invoker was asked for an Action it does not implement. */
    readonly unsupportedAction: string;
    /** The execution would record more history events than CloudFlow allows (the cloud's error name is not
     * documented). Ends the execution: no Retry or Catch sees it. */
    readonly historyLimitExceeded: string;
  };
  /** Retry delay when `BackoffRate` is omitted: 1 = constant interval (March 2026 docs). */
  readonly defaultBackoffRate: number;
  /** Retry delay cap in seconds when a rule has no `MaxBackoffSeconds` (not documented): the largest
   * `MaxBackoffSeconds` allowed, 86,400 s (limits.ts), as the old FDL's default maxIntervalSeconds was. */
  readonly delayCapWithoutMaxBackoffSeconds: number;
  /**
   * What a missing path (`$Input.absent`) evaluates to. `'omit'`: `undefined`, and a constructor key whose expression
   * is missing is left out of the object, as JSON does; comparisons treat it as `null`. `'null'`: the key is kept
   * with a `null` value.
   */
  readonly missingPath: 'omit' | 'null';
  /** The inline-mode field table spells the field `MaxConcuccency`, the limits page and the prose `MaxConcurrency`; which
   * one the engine reads is not documented. Both are read (one per state). */
  readonly mapConcurrencyFields: readonly string[];
  /** Every Map item must be a JSON object because it becomes a state input (false: any JSON value is let through, and
   * a state that needs an object refuses it there). */
  readonly mapItemsMustBeObjects: boolean;
  /**
   * The input of a Catch's `Next` state when the Catch has no OutputConstructor (not documented). `'state-input'`:
   * the input the failed state received. `'error'`: the error as `$Context.Current.Error` spells it, `{Code,
   * Detail}`. `riflow parity` probes it (case flow.catch-input).
   */
  readonly catchNextInput: 'state-input' | 'error';
  /**
   * What `$Context.Current.Error.Detail` holds for a function error (not documented). `'error-message'`: FC's
   * `errorMessage`. `'error-body'`: FC's whole error body as JSON text (`{errorMessage, errorType, stackTrace}`).
   * `riflow parity` probes it (case flow.task-error).
   */
  readonly taskErrorDetail: 'error-message' | 'error-body';
  /** State transitions as billed: one per state entered (including states inside branches and iterations) and one per
   * retry (Step Functions bills retries as transitions; CloudFlow's rule is not documented). */
  readonly countRetriesAsTransitions: boolean;
  /** Retry and Catch rules without `Description`: the March 2026 docs mark it required, older ones optional. We load
   * them and report a warning (`'allow'`: load them silently). */
  readonly missingRuleDescription: 'warn' | 'allow';
  /** Choices the expression pages leave open (docs/expressions.md lists them with their sources). */
  readonly expressions: ExpressionPolicy;
  /** Which GetExecutionHistory events a run records, where the docs list the types but not when each is recorded
   * (see `cloudflow-history.ts`). Each choice changes the count held against the 5,000-event limit. */
  readonly history: HistoryPolicy;
  /** What the distributed-mode page leaves open (its fields, limits and sources: states/map-run.ts, limits.ts). */
  readonly distributedMap: DistributedMapPolicy;
}

/**
 * Distributed Map choices (distributed-mode page, https://www.alibabacloud.com/help/en/serverless-workflow/latest/distributed-mode).
 * Made one way only, so not fields (docs/distributed-map.md says why):
 * - `ProcessorConfig` sits on the Map beside `Processor`, and its presence (with `ExecutionMode` Standard or Express)
 *   is what makes the Map distributed; a Map without it is inline.
 * - The Map's raw `$Output` is `{Items: [...]}` as in inline mode: one entry per sub-workflow execution, in item order,
 *   its output; a tolerated failure is `{Error: {Code, Detail}}` there.
 * - `MaxItems` takes the first MaxItems items and leaves the rest unprocessed.
 * - A batch (`ItemBatcher`) is `{Items: [...]}`, plus `BatchInput` (a constructor evaluated once over the Map's input)
 *   when set; `MaxInputBytesPerBatch` bounds that whole JSON object.
 * - Sub-executions belong to the parent's flow; each is named `<parent>-<first 8 of MapRunName>-<index>` (the parent
 *   part shortened to fit 128 characters), and MapRunName is 32 hex digits (DescribeMapRun's example shape) derived
 *   from the parent execution, the state and the how-many-th run of that state it is, so a replay names them alike.
 * - The parent records StepEntered, StepStarted, MapRunStarted (DescribeMapRun page), then StepSucceeded/StepFailed
 *   and StepExited: none of its sub-executions' events.
 */
export interface DistributedMapPolicy {
  readonly errorNames: {
    /** More sub-executions failed than ToleratedFailureCount/ToleratedFailurePercentage allow (not documented;
     * Step Functions says States.ExceedToleratedFailureThreshold). The Map state fails with it; Retry/Catch see it. */
    readonly toleranceExceeded: string;
    /** A documented distributed-mode quota (items per run, open runs per execution) is crossed at run time. */
    readonly quotaExceeded: string;
  };
  /** What ToleratedFailureCount/ToleratedFailurePercentage count: failed items (a failed batch counts each item in
   * it, as DescribeMapRun's ItemCounts and Step Functions count) or failed sub-executions. */
  readonly countFailures: 'items' | 'executions';
}

/**
 * Expression behaviour the built-in function page (help.aliyun.com/document_detail/2579872.html) and its translations
 * leave open or contradict. The page writes its types in Go notation (`[]any`, `map[string]any`), which is why several
 * choices follow Go's standard library.
 */
export interface ExpressionPolicy {
  /** Which argument of `regexMatchString` is the pattern. Not in the readable part of the page; Go's
   * `regexp.MatchString(pattern, s)`, which the name mirrors, and a sibling engine's docs put the pattern first. */
  readonly regexMatchStringArguments: 'pattern-first' | 'string-first';
  /** What `length("…")` counts. The page's example (`length("name")` → 4) cannot tell code points from Go's bytes. */
  readonly stringLength: 'code-points' | 'utf8-bytes';
  /** `stringToJson`/`fromJSON` return `map[string]any` per the page: `'object'` refuses JSON text of another type. */
  readonly stringToJsonResult: 'object' | 'any-json';
  /** The 2026 page's one constructor example writes `$input.username`; every other page writes `$Input`. `'exact'`
   * refuses `$input` at load time (with a hint); `'case-insensitive'` reads it as `$Input`. */
  readonly variableNames: 'exact' | 'case-insensitive';
}

export interface HistoryPolicy {
  /** A task call records TaskScheduled, TaskStarted, then its result. The docs list TaskStarted without saying when
   * it is recorded; counting it is the cautious reading (false: TaskScheduled, then the result). */
  readonly taskStarted: boolean;
  /** State types that record no StepStarted. The one documented history (a Pass) has StepStarted; a Choice is not
   * shown anywhere, so every type records it. */
  readonly stepStartedOmittedFor: readonly string[];
  /** What a retry records: 'task-rescheduled': the failed attempt's TaskFailed, then a new TaskScheduled (the state
   * stays started, no second StepStarted); 'step-restarted': a new StepStarted before it. There is no StepRetrying. */
  readonly retry: 'task-rescheduled' | 'step-restarted';
  /** StepExited (and IterationExited, BranchExited) also ends a failed or stopped step, iteration or branch, as it
   * ends a successful one in the documented example. */
  readonly exitedAfterFailure: boolean;
}

export const CLOUDFLOW_POLICY: CloudFlowPolicy = {
  errorNames: {
    all: 'FnF.ALL',
    executionTimeout: 'FnF.Timeout',
    taskTimeout: 'FnF.TaskTimeout',
    invalidOutput: 'FnF.InvalidOutput',
    invalidInput: 'FnF.InvalidInput',
    dataSizeExceeded: 'FnF.DataSizeExceeded',
    expression: 'FnF.ExpressionError',
    failWithoutCode: 'FnF.Fail',
    invalidStateData: 'FnF.InvalidInput',
    fcUnknown: 'FC.Unknown',
    fcFunctionNotFound: 'FC.FunctionNotFound',
    unsupportedAction: 'FnF.UnsupportedAction',
    historyLimitExceeded: 'FnF.HistoryLimitExceeded',
  },
  defaultBackoffRate: 1,
  delayCapWithoutMaxBackoffSeconds: CLOUDFLOW_LIMITS.retryMaxBackoffSecondsMax.value,
  missingPath: 'omit',
  mapConcurrencyFields: ['MaxConcurrency', 'MaxConcuccency'],
  mapItemsMustBeObjects: true,
  catchNextInput: 'state-input',
  taskErrorDetail: 'error-message',
  countRetriesAsTransitions: true,
  missingRuleDescription: 'warn',
  expressions: {
    regexMatchStringArguments: 'pattern-first',
    stringLength: 'code-points',
    stringToJsonResult: 'object',
    variableNames: 'exact',
  },
  history: {
    taskStarted: true,
    stepStartedOmittedFor: [],
    retry: 'task-rescheduled',
    exitedAfterFailure: true,
  },
  distributedMap: {
    errorNames: {
      toleranceExceeded: 'FnF.ExceedToleratedFailureThreshold',
      quotaExceeded: 'FnF.QuotaExceeded',
    },
    countFailures: 'items',
  },
};
