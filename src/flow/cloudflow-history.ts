/**
 * The interpreter's history events → the events CloudFlow's GetExecutionHistory lists. One rule, used twice: the
 * interpreter counts with `documentedEventTypes` (what it holds against the 5,000-event limit, without building
 * anything), and the emulator's CloudFlow API renders its GetExecutionHistory with `CloudFlowHistory`.
 *
 * What the docs say. The event types (GetExecutionHistory API page and the SDK's `GetExecutionHistoryResponseBody`
 * model, https://help.aliyun.com/document_detail/2590644.html): StepEntered, StepStarted, StepSucceeded, StepFailed,
 * StepExited, BranchEntered/Exited, IterationEntered/Exited, TaskScheduled, TaskStarted, TaskSubmitted,
 * TaskSubmitFailed, TaskSucceeded, TaskFailed, TaskTimedOut, ExecutionStarted/Stopped/Succeeded/Failed/TimedOut.
 * The fields: EventId (long, the event's id), ScheduleEventId (long, "the ID of the event that triggered the current
 * event"), StepName (the step's name; "" for execution events), Type, Time (ISO-8601 with milliseconds) and
 * EventDetail ("a string in JSON object format whose content differs by event type"; execution intro page,
 * https://help.aliyun.com/document_detail/122488.html). The one documented history (view-execution-history page,
 * https://www.alibabacloud.com/help/en/serverless-workflow/latest/view-the-execution-history) shows a Pass step as
 * StepEntered {input}, StepStarted {input}, StepSucceeded {output}, StepExited, each event scheduled by the one
 * before it, and ExecutionStarted {input} with ScheduleEventId 0.
 *
 * What we chose where they are silent (the count-changing ones are switches in `CLOUDFLOW_POLICY.history`):
 * - every state records StepStarted after its InputConstructor (`stepStartedOmittedFor`);
 * - a task call records TaskScheduled, TaskStarted, then TaskSucceeded, TaskFailed, or TaskTimedOut when the Task's
 *   own Timeout ended it (`taskStarted`); TaskSubmitted/TaskSubmitFailed belong to the callback task modes, which
 *   riflow does not use, and are never recorded;
 * - a retry records no event of its own (there is no StepRetrying): the failed attempt's TaskFailed is followed by
 *   the next attempt's TaskScheduled (`retry`);
 * - StepExited follows StepSucceeded and StepFailed, and is all a stopped step records (`exitedAfterFailure`, which
 *   also decides IterationExited/BranchExited after a failed iteration or branch);
 * - each Map item is framed by IterationEntered/IterationExited and each Parallel branch by BranchEntered/
 *   BranchExited, with the Map's or Parallel's name as StepName;
 * - a distributed Map records MapRunStarted (with the MapRunName, as the DescribeMapRun page says) and nothing of its
 *   sub-executions, which have histories of their own; how its run ended is in StepSucceeded/StepFailed;
 * - ScheduleEventId is the previous event of the same scope (the execution, one branch, one iteration); an
 *   iteration's or branch's first event is scheduled by the last event of its parent scope, and its Exited event
 *   becomes that scope's last event;
 * - EventDetail is the interpreter's event without its envelope (v, seq, time, type, execution, state): `input` and
 *   `output` where the documented example has them, and the rest (stateType, error, cause, next, scope, …) beside
 *   them. An event a local event adds (TaskStarted, StepExited after a result) carries only the scope.
 */
import type { HistoryEvent, HistoryEventBody } from './history';
import type { CloudFlowPolicy } from './policy';

export const CLOUDFLOW_EVENT_TYPES = [
  'StepEntered',
  'StepStarted',
  'StepSucceeded',
  'StepFailed',
  'StepExited',
  'BranchEntered',
  'BranchExited',
  'IterationEntered',
  'IterationExited',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSubmitFailed',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'ExecutionStarted',
  'ExecutionStopped',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionTimedOut',
  // Not in the SDK model's list; the DescribeMapRun page: "When an execution starts a MapRun, a MapRunStarted event is
  // generated. The MapRunName can be obtained from the output of this event."
  // (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describemaprun)
  'MapRunStarted',
] as const;

export type CloudFlowEventType = (typeof CLOUDFLOW_EVENT_TYPES)[number];

/** One event as GetExecutionHistory returns it in `Events`. */
export interface CloudFlowHistoryEvent {
  EventId: number;
  ScheduleEventId: number;
  StepName: string;
  Type: CloudFlowEventType;
  Time: string;
  EventDetail: string;
}

type Types = readonly CloudFlowEventType[];
// Shared, frozen answers: counting allocates nothing.
const types = (...list: CloudFlowEventType[]): Types => Object.freeze(list);
const NONE = types();
const EXECUTION_STARTED = types('ExecutionStarted');
const STEP_ENTERED = types('StepEntered');
const STEP_STARTED = types('StepStarted');
const TASK_SCHEDULED = types('TaskScheduled');
const TASK_SCHEDULED_STARTED = types('TaskScheduled', 'TaskStarted');
const TASK_SUCCEEDED = types('TaskSucceeded');
const TASK_FAILED = types('TaskFailed');
const TASK_TIMED_OUT = types('TaskTimedOut');
const STEP_SUCCEEDED_EXITED = types('StepSucceeded', 'StepExited');
const STEP_FAILED = types('StepFailed');
const STEP_FAILED_EXITED = types('StepFailed', 'StepExited');
const STEP_EXITED = types('StepExited');
const ITERATION_ENTERED = types('IterationEntered');
const ITERATION_EXITED = types('IterationExited');
const BRANCH_ENTERED = types('BranchEntered');
const BRANCH_EXITED = types('BranchExited');
const EXECUTION_SUCCEEDED = types('ExecutionSucceeded');
const EXECUTION_FAILED = types('ExecutionFailed');
const EXECUTION_STOPPED = types('ExecutionStopped');
const EXECUTION_TIMED_OUT = types('ExecutionTimedOut');
const MAP_RUN_STARTED = types('MapRunStarted');

/**
 * The fields of an interpreter event that decide which documented events it stands for. The rule reads nothing else,
 * so the interpreter computes the count of its frequent events once per state from these alone (compile.ts) and
 * builds no event when nobody listens.
 */
export interface CountedEvent {
  readonly type: HistoryEventBody['type'];
  readonly stateType?: string;
  readonly retryCount?: number;
  readonly error?: string;
  readonly output?: unknown;
}

/** The documented events one interpreter event (or its counted fields) stands for, in order (often one, sometimes
 * none or two). */
export function documentedEventTypes(event: HistoryEventBody | CountedEvent, policy: CloudFlowPolicy): Types {
  const history = policy.history;
  switch (event.type) {
    case 'ExecutionStarted':
      return EXECUTION_STARTED;
    case 'StateEntered':
      return STEP_ENTERED;
    case 'StateStarted':
      if (event.retryCount !== undefined && history.retry === 'task-rescheduled') return NONE;
      return event.stateType !== undefined && history.stepStartedOmittedFor.includes(event.stateType) ? NONE : STEP_STARTED;
    case 'TaskScheduled':
      return history.taskStarted ? TASK_SCHEDULED_STARTED : TASK_SCHEDULED;
    case 'TaskSucceeded':
      return TASK_SUCCEEDED;
    case 'TaskFailed':
      return event.error === policy.errorNames.taskTimeout ? TASK_TIMED_OUT : TASK_FAILED;
    case 'StateRetrying':
      return NONE;
    case 'StateSucceeded':
      return STEP_SUCCEEDED_EXITED;
    case 'StateFailed':
      return history.exitedAfterFailure ? STEP_FAILED_EXITED : STEP_FAILED;
    case 'StateAborted':
      return history.exitedAfterFailure ? STEP_EXITED : NONE;
    case 'IterationEntered':
      return ITERATION_ENTERED;
    case 'IterationExited':
      return event.output !== undefined || history.exitedAfterFailure ? ITERATION_EXITED : NONE;
    case 'MapRunStarted':
      return MAP_RUN_STARTED;
    case 'MapRunEnded':
      return NONE;
    case 'BranchEntered':
      return BRANCH_ENTERED;
    case 'BranchExited':
      return event.output !== undefined || history.exitedAfterFailure ? BRANCH_EXITED : NONE;
    case 'ExecutionSucceeded':
      return EXECUTION_SUCCEEDED;
    case 'ExecutionFailed':
      return EXECUTION_FAILED;
    case 'ExecutionStopped':
      return EXECUTION_STOPPED;
    case 'ExecutionTimedOut':
      return EXECUTION_TIMED_OUT;
  }
}

/** The events that end an execution: always recorded, so the limit keeps one place free for them. */
export function closesExecution(event: HistoryEventBody): boolean {
  return (
    event.type === 'ExecutionSucceeded' ||
    event.type === 'ExecutionFailed' ||
    event.type === 'ExecutionStopped' ||
    event.type === 'ExecutionTimedOut'
  );
}

/** An execution's GetExecutionHistory, built as its interpreter events arrive. */
export class CloudFlowHistory {
  readonly events: CloudFlowHistoryEvent[] = [];
  /** The last event id of each scope ('' is the execution itself). */
  private readonly lastInScope = new Map<string, number>();

  constructor(private readonly policy: CloudFlowPolicy) {}

  add(event: HistoryEvent): void {
    const documented = documentedEventTypes(event, this.policy);
    if (documented.length === 0) return;
    const { v: _v, seq: _seq, time, type: _type, execution: _execution, state, ...detail } = event;
    const scope = event.scope ?? '';
    const child = 'childScope' in event ? event.childScope : undefined;
    documented.forEach((type, index) => {
      const id = this.events.length + 1;
      let scheduledBy: number;
      if (child !== undefined && (type === 'IterationEntered' || type === 'BranchEntered')) {
        scheduledBy = this.lastInScope.get(scope) ?? 0;
        this.lastInScope.set(child, id);
      } else if (child !== undefined) {
        scheduledBy = this.lastInScope.get(child) ?? this.lastInScope.get(scope) ?? 0;
        this.lastInScope.delete(child);
        this.lastInScope.set(scope, id);
      } else {
        scheduledBy = this.lastInScope.get(scope) ?? 0;
        this.lastInScope.set(scope, id);
      }
      this.events.push({
        EventId: id,
        ScheduleEventId: scheduledBy,
        StepName: state ?? '',
        Type: type,
        Time: time,
        EventDetail: JSON.stringify(index === 0 ? detail : event.scope === undefined ? {} : { scope: event.scope }),
      });
    });
  }
}
