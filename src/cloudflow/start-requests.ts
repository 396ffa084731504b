import { isCloudEvent, isTimerEvent, parseJsonText } from '../fc/decode';
import { EXECUTION_NAME_RULE, isExecutionName, toExecutionName } from '../flow/execution-name';
import { InvalidInputError } from '../input-error/invalid-input';
import { isCloudMonitorAlert, readCloudMonitorAlert, type AlertLevel, type SpecDirection } from './cloudmonitor-alert';
import { isQueueMessageEvent, readQueueMessage } from './queue-message';
import { escapeText } from '../rpc/safe-text';
import { RIFLOW_FLOWS, validateWorkflowInput, type RiflowFlowName } from './workflow-input';

/**
 * Turns what reached the `start` function into CloudFlow StartExecution requests. Everything is validated before
 * anything is started, so an invalid payload starts nothing. The execution name is derived from the trigger:
 * CloudFlow refuses a second execution with a name it has seen (`ExecutionAlreadyExists`) and returns the running
 * one for a name still in flight, so a duplicate delivery never starts a second run.
 *
 * Shapes accepted:
 * - timer trigger `{triggerTime, triggerName, payload}`; payload (JSON string) `{flow?, changes}` or `{flow, input}`
 *   → default flow `riflow-batch-modify-spec`, name `<triggerName>-<triggerTime>`;
 * - EventBridge CloudEvent `{id, specversion, data}` (or an array of them, batched delivery); data
 *   `{flow?, regionId, routerInterfaceId, spec}` → default flow `riflow-modify-spec`, name `event-<id>`;
 * - a request-queue message (CloudEvent of type `mns:Queue:SendMessage`, see queue-message.ts) whose body is
 *   either a CloudMonitor alert (cloudmonitor-alert.ts) → a spec step for `riflow-modify-spec`, name
 *   `alert-<messageId>`, or a request like an event's data → name `message-<messageId>`;
 * - a direct call `{flow, input, executionName?}` → name as given, else `call-<FC request id>` (FC reuses the
 *   request id when it retries an asynchronous invocation).
 */
const DEFAULT_TIMER_FLOW: RiflowFlowName = 'riflow-batch-modify-spec';
const DEFAULT_EVENT_FLOW: RiflowFlowName = 'riflow-modify-spec';
/** CloudEvents in one batched delivery. */
const MAX_EVENTS_PER_INVOCATION = 100;

export interface StartRequest {
  flowName: RiflowFlowName;
  executionName: string;
  input: Record<string, unknown>;
  /** Where the request came from, for the log line. */
  source: 'timer' | 'event' | 'queue' | 'direct';
}

/**
 * A CloudMonitor alert: step the interface's spec up or down (the start function reads the current spec and the
 * bounds); `direction` is absent when the alert cleared, which starts nothing.
 */
export interface SpecStepRequest {
  flowName: 'riflow-modify-spec';
  executionName: string;
  source: 'alert';
  routerInterfaceId: string;
  direction?: SpecDirection;
  level: AlertLevel;
  ruleName: string;
}

export type StartPlan = StartRequest | SpecStepRequest;

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name given in the request, by CloudFlow's rule (src/flow/execution-name.ts). */
export function validateExecutionName(value: unknown, field: string): string {
  if (!isExecutionName(value)) {
    throw new InvalidInputError(field, 'execution-name', `must be ${EXECUTION_NAME_RULE} (got ${JSON.stringify(escapeText(String(value), 80))})`);
  }
  return value;
}

function validateFlowName(value: unknown, field: string): RiflowFlowName {
  if (typeof value === 'string' && value in RIFLOW_FLOWS) return value as RiflowFlowName;
  throw new InvalidInputError(
    field,
    'flow',
    `must be one of ${Object.keys(RIFLOW_FLOWS).join(', ')} (got ${JSON.stringify(escapeText(String(value), 80))})`,
  );
}

/** The workflow input for `flow`, checked field by field (unknown keys are dropped); fields are named under `field`. */
function validateFlowInput(flow: RiflowFlowName, input: unknown, field: string): Bag {
  return validateWorkflowInput(flow, input, field);
}

function withoutFlow(bag: Bag): Bag {
  const { flow: _flow, executionName: _name, ...rest } = bag;
  return rest;
}

function parsePayload(payload: unknown, field: string): unknown {
  return typeof payload === 'string' ? parseJsonText(payload, field) : payload;
}

function fromTimer(event: Bag): StartRequest {
  const payload = parsePayload(event.payload, 'event.payload');
  if (!isBag(payload)) throw new InvalidInputError('event.payload', 'shape', 'must be a JSON object {flow?, changes}');
  const flowName = payload.flow === undefined ? DEFAULT_TIMER_FLOW : validateFlowName(payload.flow, 'event.payload.flow');
  const input = validateFlowInput(flowName, isBag(payload.input) ? payload.input : withoutFlow(payload), 'event.payload');
  const executionName = toExecutionName(`${String(event.triggerName)}-${String(event.triggerTime)}`);
  return { flowName, executionName, input, source: 'timer' };
}

function fromQueueMessage(event: Bag, field: string): StartPlan {
  const { messageId, body } = readQueueMessage(event, field);
  const bodyField = `${field}.data.messageBody`;
  if (isCloudMonitorAlert(body)) {
    const alert = readCloudMonitorAlert(body, bodyField);
    return {
      flowName: 'riflow-modify-spec',
      executionName: toExecutionName(`alert-${messageId}`),
      source: 'alert',
      routerInterfaceId: alert.routerInterfaceId,
      level: alert.level,
      ruleName: alert.ruleName,
      ...(alert.direction ? { direction: alert.direction } : {}),
    };
  }
  if (!isBag(body)) throw new InvalidInputError(bodyField, 'shape', 'must be a CloudMonitor alert or a JSON object {flow?, regionId, routerInterfaceId, spec}');
  const flowName = body.flow === undefined ? DEFAULT_EVENT_FLOW : validateFlowName(body.flow, `${bodyField}.flow`);
  const input = validateFlowInput(flowName, isBag(body.input) ? body.input : withoutFlow(body), bodyField);
  return { flowName, executionName: toExecutionName(`message-${messageId}`), input, source: 'queue' };
}

function fromCloudEvent(event: Bag, field: string): StartPlan {
  if (isQueueMessageEvent(event)) return fromQueueMessage(event, field);
  const data = parsePayload(event.data, `${field}.data`);
  if (!isBag(data)) throw new InvalidInputError(`${field}.data`, 'shape', 'must be a JSON object {regionId, routerInterfaceId, spec}');
  if (typeof event.id !== 'string' || event.id === '') throw new InvalidInputError(`${field}.id`, 'required', 'is required (the event id names the execution)');
  const flowName = data.flow === undefined ? DEFAULT_EVENT_FLOW : validateFlowName(data.flow, `${field}.data.flow`);
  const input = validateFlowInput(flowName, isBag(data.input) ? data.input : withoutFlow(data), `${field}.data`);
  return { flowName, executionName: toExecutionName(`event-${event.id}`), input, source: 'event' };
}

function fromDirectCall(event: Bag, requestId: string): StartRequest {
  const flowName = validateFlowName(event.flow, 'event.flow');
  const input = validateFlowInput(flowName, event.input, 'event.input');
  const executionName =
    event.executionName === undefined
      ? toExecutionName(`call-${requestId || 'local'}`)
      : validateExecutionName(event.executionName, 'event.executionName');
  return { flowName, executionName, input, source: 'direct' };
}

/** The StartExecution requests for one invocation's event (already JSON-parsed). Throws `InvalidInput`. */
export function toStartRequests(event: unknown, requestId: string): StartPlan[] {
  if (Array.isArray(event)) {
    if (event.length === 0 || event.length > MAX_EVENTS_PER_INVOCATION) {
      throw new InvalidInputError('event', 'batch', `must hold 1 to ${MAX_EVENTS_PER_INVOCATION} events`);
    }
    return event.map((item, index) => {
      if (!isBag(item) || !isCloudEvent(item)) throw new InvalidInputError(`event[${index}]`, 'shape', 'must be a CloudEvent with data');
      return fromCloudEvent(item, `event[${index}]`);
    });
  }
  if (!isBag(event)) throw new InvalidInputError('event', 'shape', 'must be a JSON object');
  if (isTimerEvent(event)) return [fromTimer(event)];
  if (isCloudEvent(event)) return [fromCloudEvent(event, 'event')];
  return [fromDirectCall(event, requestId)];
}
