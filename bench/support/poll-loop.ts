/**
 * The poll loop the interpreter benchmarks run (flow.bench.ts, journal.bench.ts): Describe → IsActive → Backoff,
 * Active on the eleventh describe, then Modify (33 state visits, 12 task calls), with stub tasks and a clock whose
 * waits take no time.
 */
import type { Clock } from '../../src/flow/clock';
import type { TaskRequest } from '../../src/flow/runtime';

export const POLLS_BEFORE_ACTIVE = 10;

/** `parkSeconds`: a Wait of that length between the last describe and Modify (parked executions). */
export const pollLoopYaml = (backoffSeconds: number, parkSeconds?: number): string => `
Type: StateMachine
SpecVersion: v1
Name: poll-loop
StartAt: Describe
States:
  - Type: Task
    Name: Describe
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:{region}:{accountId}:functions/describe
      body:
        routerInterfaceId.$: $Input.routerInterfaceId
        attempt.$: $Input.attempt
    OutputConstructor:
      routerInterfaceId.$: $Input.routerInterfaceId
      status.$: $Output.Body.status
      attempt.$: $Output.Body.attempt
    Next: IsActive
  - Type: Choice
    Name: IsActive
    Branches:
      - Condition: $Input.status == "Active"
        Next: ${parkSeconds === undefined ? 'Modify' : 'Park'}
    Default: Backoff
  - Type: Wait
    Name: Backoff
    Seconds: ${backoffSeconds}
    Next: Describe
${parkSeconds === undefined ? '' : `  - Type: Wait\n    Name: Park\n    Seconds: ${parkSeconds}\n    Next: Modify\n`}  - Type: Task
    Name: Modify
    Action: FC:InvokeFunction
    Parameters:
      resourceArn: acs:fc:{region}:{accountId}:functions/modify
      body:
        routerInterfaceId.$: $Input.routerInterfaceId
    OutputConstructor:
      result.$: $Output.Body
    End: true
`;

export interface Polled {
  routerInterfaceId: string;
  status: string;
  attempt: number;
}

/** The same stub behaviour for every runner: Active on the eleventh describe. */
export function describeStub(body: { routerInterfaceId?: unknown; attempt?: unknown }): Polled {
  const attempt = (typeof body.attempt === 'number' ? body.attempt : 0) + 1;
  return { routerInterfaceId: String(body.routerInterfaceId), status: attempt > POLLS_BEFORE_ACTIVE ? 'Active' : 'Connecting', attempt };
}

export const modifyStub = (body: { routerInterfaceId?: unknown }) => ({ routerInterfaceId: String(body.routerInterfaceId), changed: true });

/** The task stub riflow and the floor both call, with the same request objects. */
export const invokeStub = async (request: Pick<TaskRequest, 'stateName' | 'parameters'>) => {
  const body = request.parameters.body as { routerInterfaceId?: unknown; attempt?: unknown };
  return { Body: request.stateName === 'Describe' ? describeStub(body) : modifyStub(body) };
};

/** Waits take no time; the time is the real one. */
export const zeroClock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };
export const BENCH_INPUT = { routerInterfaceId: 'ri-bench' };
