/** A definition after loading and validation: names resolved, expressions parsed, defaults applied. */
import type { CompiledExpression } from './expression/ast';
import type { Template } from './expression/template';
import type { ValidationProblem } from './errors';

export type StateType = 'Task' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface RetryRule {
  errors: string[];
  description?: string;
  intervalSeconds: number;
  maxAttempts: number;
  /** As written; the policy's default applies when absent. */
  backoffRate?: number;
  maxBackoffSeconds?: number;
}

export interface CatchRule {
  errors: string[];
  description?: string;
  next: string;
  outputConstructor?: Template;
}

interface StateBase {
  name: string;
  /** Where the state sits in the definition, e.g. `States[2]` or `States[4].Branches[1].States[0]`. */
  path: string;
  line: number;
  column: number;
  inputConstructor?: Template;
  outputConstructor?: Template;
}

/** States that go on to another state or end their scope. */
interface Flowing {
  next?: string;
  end: boolean;
}

interface ErrorHandling {
  retry: RetryRule[];
  catch: CatchRule[];
}

export interface TaskState extends StateBase, Flowing, ErrorHandling {
  type: 'Task';
  action: string;
  taskMode: string;
  parameters?: Template;
  /** From `Timeout` (a string of seconds in the docs; numbers accepted with a warning) or `Timeout.$`, evaluated on
   * each call; absent or 0 means no timeout. */
  timeoutSeconds?: number | CompiledExpression;
}

export interface PassState extends StateBase, Flowing {
  type: 'Pass';
}

export interface WaitState extends StateBase, Flowing {
  type: 'Wait';
  seconds: number | CompiledExpression;
}

export interface ChoiceBranch {
  condition: CompiledExpression;
  next: string;
}

export interface ChoiceState extends StateBase {
  type: 'Choice';
  branches: ChoiceBranch[];
  default: string;
}

export interface SucceedState extends StateBase {
  type: 'Succeed';
}

export interface FailState extends StateBase {
  type: 'Fail';
  code?: string;
  detail?: string;
}

export interface ParallelState extends StateBase, Flowing, ErrorHandling {
  type: 'Parallel';
  branches: Scope[];
}

export interface MapState extends StateBase, Flowing, ErrorHandling {
  type: 'Map';
  itemsPath: CompiledExpression;
  processor: Scope;
  /** Inline: 1..40 iterations at once; distributed: 1..100 sub-executions at once. An absent (or 0) MaxConcurrency is
   * the documented maximum of the mode. */
  maxConcurrency: number;
  /** Set when the Map runs in distributed mode (a `ProcessorConfig`): each item (or batch) is a sub-workflow execution. */
  distributed?: DistributedMap;
}

/** How a top-level execution or a distributed Map's sub-executions run (Standard or Express limits). */
export type ExecutionMode = 'Standard' | 'Express';

/** The distributed-mode fields of a Map (distributed-mode page); ItemReader and ResultWriter are refused when loading. */
export interface DistributedMap {
  executionMode: ExecutionMode;
  /** `$Item` (the item), `$Input` (the Map's input) and `$Context`: each sub-execution's input, before batching. */
  itemConstructor?: Template;
  itemBatcher?: ItemBatcher;
  /** Only the first MaxItems items are processed. */
  maxItems?: number;
  /** 0–100: the share of failed items (or sub-executions, policy) the Map tolerates. */
  toleratedFailurePercentage?: number;
  /** The number of failed items (or sub-executions, policy) the Map tolerates. */
  toleratedFailureCount?: number;
}

export interface ItemBatcher {
  maxItemsPerBatch?: number;
  /** Bytes of each batch's JSON (`{Items, BatchInput}`). */
  maxInputBytesPerBatch?: number;
  /** Added to every batch as `BatchInput`, evaluated once over the Map's input. */
  batchInput?: Template;
}

export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState | ParallelState | MapState;

/** A list of states with a start: the flow itself, a Parallel branch, or a Map processor. */
export interface Scope {
  startAt: string;
  states: ReadonlyMap<string, State>;
}

export interface Flow {
  name: string;
  description?: string;
  /** Execution timeout in seconds from a flow-level `Timeout`, which the current spec does not document (the loader
   * warns); the interpreter honours it. */
  timeoutSeconds?: number;
  scope: Scope;
  /** The file it came from, when loaded from one. */
  sourcePath?: string;
  /** Things that load but deserve a look (e.g. a Retry rule without Description). */
  warnings: ValidationProblem[];
}
