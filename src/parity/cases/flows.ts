/**
 * What a CloudFlow execution does where the docs are silent, read from the execution itself: the name and Detail
 * a function's error gets, a task's $Output, a Catch's Next input, how retries are counted and timed, and which
 * GetExecutionHistory events each state records.
 */
import type { ProbeContext } from '../apis';
import { fromTable, isObject, json, keysOf, type JsonValue, type ParityCase, type SettingRule } from '../case';
import { outputOf, runProbeFlow, type FlowRun } from '../probe-flow';
import { PROBE_ERROR } from './functions';

/** An error Detail as comparable data: JSON text is parsed (its stack trace is masked later), other text kept. */
function detailValue(detail: unknown): JsonValue {
  if (typeof detail !== 'string') return json(detail);
  try {
    const parsed = JSON.parse(detail) as unknown;
    return isObject(parsed) ? json(parsed) : detail;
  } catch {
    return detail;
  }
}

const detailRule: SettingRule = {
  setting: 'cloudflow.taskErrorDetail',
  fields: ['detail'],
  derive: ({ detail }) => {
    if (detail === PROBE_ERROR.message) return 'error-message';
    if (isObject(detail) && detail.errorMessage === PROBE_ERROR.message) return 'error-body';
    return undefined;
  },
};

export const flowTaskError: ParityCase = {
  id: 'flow.task-error',
  title: "the name a Catch matches for a function's thrown error (class name or `name`), and what Error.Detail holds",
  settles: [fromTable('localFc.errorType', 'matched', { 'class-name': 'class-name', 'name-property': 'name-property' }), detailRule],
  fixedIn: 'src/local-fc/task-invoker.ts (a task error is named by the function\'s errorType, FC.Unknown without one)',
  async run(context: ProbeContext) {
    const run = await runProbeFlow(context, 'riflow-parity-task-error', 'task-error');
    const output = outputOf(run);
    const error = isObject(output.error) ? output.error : {};
    return { status: run.status, matched: json(output.matched), code: json(error.Code), detail: detailValue(error.Detail) };
  },
};

export const flowTaskOutput: ParityCase = {
  id: 'flow.task-output',
  title: 'the keys of an FC:InvokeFunction task\'s $Output besides Body',
  settles: [],
  fixedIn: 'src/local-fc/task-invoker.ts (a task\'s raw $Output is {Body: <the function\'s result>})',
  async run(context: ProbeContext) {
    const run = await runProbeFlow(context, 'riflow-parity-task-output', 'task-output');
    const output = outputOf(run);
    const keys = Array.isArray(output.keys) ? output.keys.map(String).sort() : null;
    return { status: run.status, outputKeys: keys, body: json(output.body) };
  },
};

const FAILED_STATE_INPUT = { marker: "the failed state's input" };

export const flowCatchInput: ParityCase = {
  id: 'flow.catch-input',
  title: "the input of a Catch's Next state when the Catch has no OutputConstructor",
  settles: [
    {
      setting: 'cloudflow.catchNextInput',
      fields: ['received'],
      derive: ({ received }) => {
        if (JSON.stringify(received) === JSON.stringify(FAILED_STATE_INPUT)) return 'state-input';
        if (isObject(received) && JSON.stringify(keysOf(received)) === '["Code","Detail"]') return 'error';
        return undefined;
      },
    },
  ],
  fixedIn: 'src/flow/retry.ts (catchOutputWithoutConstructor)',
  async run(context: ProbeContext) {
    const run = await runProbeFlow(context, 'riflow-parity-catch-input', 'catch-input');
    const received = outputOf(run).received;
    const value = isObject(received) && 'Detail' in received ? { ...received, Detail: detailValue(received.Detail) } : received;
    return { status: run.status, received: json(value) };
  },
};

/** "Type Step" per event, in order: the shape of a history, without its ids, times and details. */
function eventList(run: FlowRun): string[] {
  return run.events.map((event) => `${event.type} ${event.step}`.trim());
}

function count(events: JsonValue | undefined, entry: string): number {
  return Array.isArray(events) ? events.filter((event) => event === entry).length : 0;
}

const taskStartedRule: SettingRule = {
  setting: 'cloudflow.history.taskStarted',
  fields: ['events'],
  derive: ({ events }) => (Array.isArray(events) ? events.some((event) => typeof event === 'string' && event.startsWith('TaskStarted ')) : undefined),
};

export const flowRetry: ParityCase = {
  id: 'flow.retry',
  title: 'how retries are counted and timed (no BackoffRate), and the history events a retried, then caught task records',
  settles: [
    {
      setting: 'cloudflow.history.retry',
      fields: ['events'],
      derive: ({ events, calls }) => (typeof calls === 'number' && calls > 1 ? (count(events, 'StepStarted Call') > 1 ? 'step-restarted' : 'task-rescheduled') : undefined),
    },
    taskStartedRule,
    {
      setting: 'cloudflow.history.exitedAfterFailure',
      fields: ['events'],
      derive: ({ events }) => (count(events, 'StepFailed Call') > 0 ? count(events, 'StepExited Call') > 0 : undefined),
    },
    {
      setting: 'cloudflow.defaultBackoffRate',
      fields: ['delaysSeconds'],
      derive: ({ delaysSeconds }) => {
        const [first, second] = Array.isArray(delaysSeconds) ? delaysSeconds : [];
        return typeof first === 'number' && typeof second === 'number' && first > 0 && second >= first ? second / first : undefined;
      },
    },
  ],
  fixedIn: 'src/flow/visit.ts and src/flow/retry.ts (1 + MaxAttempts calls, RetryCount), src/flow/cloudflow-history.ts (the events)',
  async run(context: ProbeContext) {
    const run = await runProbeFlow(context, 'riflow-parity-retry', 'retry');
    const calls = run.events.filter((event) => event.type === 'TaskScheduled' && event.step === 'Call');
    const delaysSeconds: number[] = [];
    run.events.forEach((event, index) => {
      if (event.type !== 'TaskFailed' || event.step !== 'Call') return;
      const next = run.events.slice(index + 1).find((later) => later.type === 'TaskScheduled' && later.step === 'Call');
      if (next) delaysSeconds.push(Math.round((next.time - event.time) / 1000));
    });
    return { status: run.status, retryCount: json(outputOf(run).retryCount), calls: calls.length, delaysSeconds, events: eventList(run) };
  },
};

/** The probe flow's steps and their types (parity/flows/states.yaml). */
const STATE_STEPS: Record<string, string> = { Init: 'Pass', Decide: 'Choice', Pause: 'Wait', Call: 'Task', Done: 'Succeed' };

export const flowStateHistory: ParityCase = {
  id: 'flow.state-history',
  title: 'the GetExecutionHistory events a Pass, Choice, Wait, Task and Succeed record, and the fields of each event',
  settles: [
    {
      setting: 'cloudflow.history.stepStartedOmittedFor',
      fields: ['events'],
      derive: ({ events }) =>
        Array.isArray(events)
          ? Object.entries(STATE_STEPS)
              .filter(([step]) => count(events, `StepEntered ${step}`) > 0 && count(events, `StepStarted ${step}`) === 0)
              .map(([, type]) => type)
              .sort()
          : undefined,
    },
    taskStartedRule,
  ],
  fixedIn: 'src/flow/cloudflow-history.ts (which events each interpreter event becomes, and their EventDetail)',
  async run(context: ProbeContext) {
    const run = await runProbeFlow(context, 'riflow-parity-states', 'states');
    const eventFields = [...new Set(run.events.flatMap((event) => event.fields))].sort();
    const detailKeys: Record<string, string[]> = {};
    for (const event of run.events) detailKeys[event.type] = [...new Set([...(detailKeys[event.type] ?? []), ...keysOf(event.detail)])].sort();
    return { status: run.status, events: eventList(run), eventFields, detailKeys };
  },
};
