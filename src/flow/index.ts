/** The local CloudFlow interpreter: load and validate a definition, run it, test one state, read its history. */
export { loadFlow, loadFlowFile, type LoadFlowOptions } from './loader';
export { startExecution, type StartExecutionOptions, type ExecutionResult, type ExecutionHandle, type ExecutionStatus } from './execution';
export { testState, type TestStateOptions, type TestStateResult } from './test-state';
export { readHistory, HistoryReadError, HISTORY_VERSION, type HistoryEvent, type HistoryEventType, type HistoryEventBody } from './history';
export { CloudFlowHistory, CLOUDFLOW_EVENT_TYPES, documentedEventTypes, type CloudFlowEventType, type CloudFlowHistoryEvent } from './cloudflow-history';
export { CLOUDFLOW_LIMITS, type DocumentedLimit } from './limits';
export { CLOUDFLOW_POLICY, type CloudFlowPolicy, type ExpressionPolicy, type HistoryPolicy } from './policy';
export { FlowError, FlowValidationError, formatProblem, type ValidationProblem } from './errors';
export type { TaskRequest, InvokeTask, ExecutionCounts } from './runtime';
export type { Flow, State, StateType, Scope, RetryRule, CatchRule } from './model';
export type { JsonValue, JsonObject } from './json';
export { parseExpression } from './expression/parser';
export { holdTimeDuringTasks, realClock, VirtualClock, type Clock } from './clock';
