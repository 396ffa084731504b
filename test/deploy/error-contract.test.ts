/**
 * The error contract between the handlers and the shipped workflows, in both directions, decided by the real
 * interpreter's Retry/Catch code (testState) on the real workflow files:
 * - every name a workflow's Retry or Catch lists is one the Task's function can throw, a documented FC.* name, or
 *   FnF.ALL;
 * - every name a Task's function can throw is handled as its class says: a conflict by the backoff rule, a transient
 *   failure by the transient rule, each terminal name by the Fail state of that Code, anything else (and a retry
 *   that ran out) by `<Task>Failed`; inside the batch Map, every failure becomes the item's outcome. A distributed
 *   Map's processor is an execution of its own: its Tasks end in Fail states of their own scope, like a flow's.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFunctionArn } from '../../src/local-fc/function-arn';
import { loadFlowFile } from '../../src/flow/loader';
import type { Flow, RetryRule, Scope, State, TaskState } from '../../src/flow/model';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { testState } from '../../src/flow/test-state';
import { ERROR_CLASS_OF, ERROR_NAMES, isErrorName, type ErrorName } from '../../src/rpc/error-names';
import { errorNamesOf, type VpcAction } from '../../src/vpc/errors';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = readdirSync(join(ROOT, 'workflows')).filter((file) => file.endsWith('.yaml'));

/**
 * FC's own names: FC.<ErrorCode> for a non-200 answer of the FC API (ResourceThrottled, ResourceExhausted,
 * InternalServerError; https://help.aliyun.com/document_detail/2500862.html) and FC.Unknown, the policy's name for
 * a function that failed without an errorType (it died: process exit, out of memory).
 */
const FC_NAMES = ['FC.ResourceThrottled', 'FC.ResourceExhausted', 'FC.InternalServerError', CLOUDFLOW_POLICY.errorNames.fcUnknown];
const ALL = CLOUDFLOW_POLICY.errorNames.all;

/** The VPC actions each function calls (functions/<name>/index.ts). connect/activate/deactivate describe only after a
 * conflict, and then rethrow that conflict whatever the describe says, so the describe adds no name. */
const ACTIONS_OF: Record<string, VpcAction[]> = {
  'riflow-connect': ['ConnectRouterInterface'],
  'riflow-activate': ['ActivateRouterInterface'],
  'riflow-deactivate': ['DeactivateRouterInterface'],
  'riflow-modify-spec': ['DescribeRouterInterfaces', 'ModifyRouterInterfaceSpec'],
  'riflow-describe': ['DescribeRouterInterfaces'],
  // Reads, and in its apply step writes: a write's own failure is the interface's outcome, but the names are listed.
  'riflow-fleet': ['DescribeRouterInterfaces', 'ModifyRouterInterfaceSpec'],
};

/** The two Retry rules (the numbers the README states), as retry n waits under the interpreter's delay rule. */
const CONFLICT_WAITS = [2, 4, 8, 16, 32, 60, 60, 60];
const TRANSIENT_WAITS = [1, 2, 4, 8, 16, 30];
/** A fleet's throttling takes longer to clear: its transient rule waits up to 60 s, 9 times. */
const TRANSIENT_WAITS_OF: Record<string, number[]> = { 'fleet-modify-spec.yaml': [2, 4, 8, 16, 32, 60, 60, 60, 60] };

const INPUT = { regionId: 'cn-hangzhou', routerInterfaceId: 'ri-a', spec: 'Large.1', attempt: 0, phase: 'connect', changes: [] };

interface TaskInScope {
  task: TaskState;
  scope: Scope;
  /** Inside an inline Map's processor: failures become the item's outcome. */
  inMap: boolean;
}

function tasksOf(scope: Scope, inMap = false): TaskInScope[] {
  const found: TaskInScope[] = [];
  for (const state of scope.states.values()) {
    if (state.type === 'Task') found.push({ task: state, scope, inMap });
    if (state.type === 'Map') found.push(...tasksOf(state.processor, state.distributed === undefined));
    if (state.type === 'Parallel') for (const branch of state.branches) found.push(...tasksOf(branch, inMap));
  }
  return found;
}

async function functionOf(flow: Flow, task: TaskState): Promise<string> {
  const probe = await testState(flow, task.name, { input: INPUT, taskResult: { Body: {} } });
  const arn = parseFunctionArn(String(probe.parameters?.resourceArn));
  if (!arn) throw new Error(`${task.name}: no FC function ARN`);
  return arn.functionName;
}

function stateIn(scope: Scope, name: string | undefined): State | undefined {
  return name === undefined ? undefined : scope.states.get(name);
}

/** Where a caught error ends: a Fail's Code, or (in the Map) the item-failed Pass state. */
function outcomeOf(scope: Scope, next: string | undefined): string {
  const state = stateIn(scope, next);
  if (state?.type === 'Fail') return `Fail ${state.code ?? ''}`;
  return `${state?.type ?? 'nothing'} ${next ?? ''}`;
}

function expectedTerminalOutcome(name: string, task: TaskState, inMap: boolean): string {
  if (inMap) return 'Pass ItemFailed';
  if (isErrorName(name) && name !== 'RequestRefused' && ERROR_CLASS_OF[name] === 'terminal') return `Fail ${name}`;
  return `Fail ${task.name}Failed`;
}

function ruleNumbers(rule: RetryRule | undefined) {
  return rule && { intervalSeconds: rule.intervalSeconds, backoffRate: rule.backoffRate, maxBackoffSeconds: rule.maxBackoffSeconds, maxAttempts: rule.maxAttempts };
}

describe.each(FILES)('workflows/%s', (file) => {
  it('lists in Retry and Catch only names the Task’s function can throw, documented FC names and FnF.ALL', async () => {
    const flow = await loadFlowFile(join(ROOT, 'workflows', file));
    const tasks = tasksOf(flow.scope);
    expect(tasks.length).toBeGreaterThan(0);
    for (const { task } of tasks) {
      const throwable: string[] = errorNamesOf(ACTIONS_OF[await functionOf(flow, task)] ?? []);
      const listed = [...task.retry.flatMap((rule) => rule.errors), ...task.catch.flatMap((rule) => rule.errors)];
      for (const name of listed) expect([...throwable, ...FC_NAMES, ALL], `${task.name}: ${name}`).toContain(name);
    }
  });

  it('handles every name a Task’s function can throw as its class says', async () => {
    const flow = await loadFlowFile(join(ROOT, 'workflows', file));
    for (const { task, scope, inMap } of tasksOf(flow.scope)) {
      const functionName = await functionOf(flow, task);
      const throwable = errorNamesOf(ACTIONS_OF[functionName] ?? []);
      // A bug surfaces under its own class name (TypeError): not ours to retry.
      for (const name of [...throwable, ...FC_NAMES, 'TypeError']) {
        const where = `${task.name} (${functionName}) on ${name}`;
        const errorClass = isErrorName(name) ? ERROR_CLASS_OF[name] : FC_NAMES.includes(name) ? 'transient' : 'terminal';
        const fail = (retryCount: number) => testState(flow, task.name, { input: INPUT, retryCount, taskError: { name, message: `${name} happened` } });
        if (errorClass === 'terminal') {
          const decision = await fail(0);
          expect(decision.status, where).toBe('Caught');
          expect(outcomeOf(scope, decision.next), where).toBe(expectedTerminalOutcome(name, task, inMap));
          continue;
        }
        const waits = errorClass === 'conflict' ? CONFLICT_WAITS : (TRANSIENT_WAITS_OF[file] ?? TRANSIENT_WAITS);
        const seen: number[] = [];
        for (let retryCount = 0; retryCount < waits.length; retryCount++) {
          const decision = await fail(retryCount);
          expect(decision.status, `${where}, retry ${retryCount + 1}`).toBe('Retrying');
          seen.push(decision.waitSeconds ?? -1);
        }
        expect(seen, where).toEqual(waits);
        const rule = task.retry[(await fail(0)).retry?.rule ?? -1];
        expect(ruleNumbers(rule), where).toEqual({
          intervalSeconds: waits[0],
          backoffRate: 2,
          maxBackoffSeconds: waits.at(-1),
          maxAttempts: waits.length,
        });
        // The retries ran out: the error goes on to the Catch, which ends in <Task>Failed (or the item's outcome).
        const exhausted = await fail(waits.length);
        expect(exhausted.status, `${where}, retries exhausted`).toBe('Caught');
        expect(outcomeOf(scope, exhausted.next), `${where}, retries exhausted`).toBe(inMap ? 'Pass ItemFailed' : `Fail ${task.name}Failed`);
      }
    }
  });
});

describe('the vocabulary across the workflows', () => {
  it('has a Catch for every terminal name some function can throw, in every workflow that calls that function', async () => {
    const caughtSomewhere = new Set<string>();
    for (const file of FILES) {
      const flow = await loadFlowFile(join(ROOT, 'workflows', file));
      for (const { task } of tasksOf(flow.scope)) for (const rule of task.catch) for (const name of rule.errors) caughtSomewhere.add(name);
    }
    const terminal = ERROR_NAMES.filter((name: ErrorName) => ERROR_CLASS_OF[name] === 'terminal' && name !== 'RequestRefused');
    for (const name of terminal) expect(caughtSomewhere, name).toContain(name);
  });
});
