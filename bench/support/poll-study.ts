/**
 * The poll-schedule simulation: the modify-spec workflow, run by the interpreter through the handler bundles
 * against the emulator on a virtual clock, with the Activating → Active transition set to a given duration, under
 * three poll schedules. Only the seconds the Wait reads differ between the three: riflow's schedule is the one the
 * describe handler returns; the baselines overwrite `Body.nextPollSeconds` in the describe task's output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLL_SCHEDULE, nextPollSeconds } from '../../src/vpc/poll-schedule';
import { demoPairSeed } from '../../src/emulator/index';
import { INITIATOR, REGION, ROOT, type LocalStack, type OutputRewrite } from './local-stack';

export const USD_PER_TRANSITION = 0.25 / 10_000;
/**
 * Up to 15 minutes: fixed 5 s polling of a 30-minute transition records more than the 5,000 history events CloudFlow
 * allows one execution, and the interpreter refuses it as CloudFlow does; the analytic sweep covers longer ones.
 */
export const STUDY_DURATIONS_SECONDS = [5, 15, 30, 60, 120, 300, 900] as const;

export type StrategyName = 'riflow' | 'fixed' | 'doubling';

export interface Strategy {
  name: StrategyName;
  label: string;
  workflow: string;
  rewrite?: OutputRewrite;
}

export interface PollOutcome {
  /** DescribeRouterInterfaces calls made by the poll loop (after the spec change). */
  describeCalls: number;
  /** Every VPC API call of the run: the handler's look before the write, the write, the polls. */
  apiCalls: number;
  transitions: number;
  /** Seconds from the status turning Active to the first describe that saw it. */
  lagSeconds: number;
}

const SHIPPED_CAP = '$Input.attempt >= 40';

/** Overwrites the describe result's `nextPollSeconds`, as a different schedule in the describe handler would. */
function scheduleRewrite(seconds: (attempt: number) => number): OutputRewrite {
  return (request, output) => {
    const body = (output as { Body?: Record<string, unknown> }).Body;
    if (request.stateName !== 'Describe' || !body || typeof body.attempt !== 'number') return output;
    return { ...(output as object), Body: { ...body, nextPollSeconds: seconds(body.attempt) } };
  };
}

/** The shipped ModifySpec state waits the first poll interval before its first describe. */
const SHIPPED_FIRST_WAIT = '\n    Next: WaitBeforePoll\n';

/**
 * riflow runs the workflow file as shipped: one wait of the schedule's first interval after the write, then the
 * schedule. The baselines poll the way fixed-interval tools do — a describe right after the write, then every
 * interval — so they run the same file with ModifySpec going straight to Describe, and with the 40-poll cap lifted,
 * since fixed 5 s polling needs 181 describes to see a 15-minute transition (Terraform polls until its own timeout).
 */
export function strategies(): Strategy[] {
  const shipped = readFileSync(join(ROOT, 'workflows', 'modify-spec.yaml'), 'utf8');
  for (const marker of [SHIPPED_CAP, SHIPPED_FIRST_WAIT]) {
    if (!shipped.includes(marker)) throw new Error(`workflows/modify-spec.yaml no longer contains ${JSON.stringify(marker)}; update bench/support/poll-study.ts`);
  }
  const uncapped = shipped.replace(SHIPPED_CAP, '$Input.attempt >= 100000').replace(SHIPPED_FIRST_WAIT, '\n    Next: Describe\n');
  return [
    { name: 'riflow', label: 'riflow schedule', workflow: shipped },
    { name: 'fixed', label: 'fixed 5 s', workflow: uncapped, rewrite: scheduleRewrite(() => 5) },
    // attempt = describes made so far (1 after the first): waits of 1, 2, 4, … s, capped at CloudFlow's 300 s.
    { name: 'doubling', label: 'doubling', workflow: uncapped, rewrite: scheduleRewrite((attempt) => Math.min(300, 2 ** (attempt - 1))) },
  ];
}

/** One modify-spec run (Small.1 → Middle.1 on an Active pair) whose Activating phase lasts `durationSeconds`. */
export async function simulatePoll(stack: LocalStack, strategy: Strategy, durationSeconds: number): Promise<PollOutcome> {
  await stack.reseed(demoPairSeed({ status: 'Active', spec: 'Small.1' }, { status: 'Active' }));
  const { control } = stack.emulator;
  control.updateConfig({ transitions: { ...control.config().transitions, Activating: { mode: 'delay', ms: durationSeconds * 1000 } } });
  const run = await stack.run(strategy.workflow, { regionId: REGION, routerInterfaceId: INITIATOR, spec: 'Middle.1' }, {
    ...(strategy.rewrite ? { rewrite: strategy.rewrite } : {}),
  });
  const what = `${strategy.label}, ${durationSeconds} s`;
  if (run.result.status !== 'Succeeded') throw new Error(`${what}: ${run.result.status} ${run.result.error ?? ''} ${run.result.cause ?? ''}`);
  const modify = run.calls.find((call) => call.action === 'ModifyRouterInterfaceSpec');
  const seenActive = run.describes.find((seen) => seen.status === 'Active');
  if (!modify || !seenActive) throw new Error(`${what}: no ModifyRouterInterfaceSpec call or no describe saw Active`);
  // The modify-spec handler describes once before writing (to make no write when the spec is already there); the
  // poll loop's describes are the ones after the write.
  const describeCalls = run.calls.slice(run.calls.indexOf(modify)).filter((call) => call.action === 'DescribeRouterInterfaces').length;
  if (describeCalls !== run.describes.length) throw new Error(`${what}: ${describeCalls} describe calls but ${run.describes.length} describe results`);
  const activeAt = Date.parse(modify.time) + durationSeconds * 1000;
  return {
    describeCalls,
    apiCalls: run.calls.length,
    transitions: run.result.counts.stateTransitions,
    lagSeconds: (seenActive.at - activeAt) / 1000,
  };
}

export const riflowWait = (attempt: number): number => nextPollSeconds(attempt);
export const fixedWait = (): number => 5;

/** The target for one duration, riflow against fixed 5 s polling; `text` says which part failed. */
export function checkTarget(durationSeconds: number, riflow: PollOutcome, fixed: PollOutcome): { met: boolean; text: string } {
  const parts: Array<[string, boolean]> =
    durationSeconds >= 60
      ? [
          [`lag ≤ ${Math.round((0.15 * durationSeconds + 3) * 10) / 10} s`, riflow.lagSeconds <= 0.15 * durationSeconds + 3],
          ['fewer calls', riflow.describeCalls < fixed.describeCalls],
          ['fewer transitions', riflow.transitions < fixed.transitions],
        ]
      : [
          ['lag ≤ 5 s', riflow.lagSeconds <= 5],
          ['no more calls', riflow.describeCalls <= fixed.describeCalls],
        ];
  return {
    met: parts.every(([, ok]) => ok),
    text: parts.map(([what, ok]) => `${what} ${ok ? '✓' : '✗'}`).join(', '),
  };
}

/** When riflow's first describe comes, in seconds after the write; the baselines describe at once. */
export const RIFLOW_FIRST_DESCRIBE_SECONDS = POLL_SCHEDULE.firstPollSeconds;

/**
 * Describes made and detection lag for a schedule, from its waits alone (no stack): the first describe comes
 * `firstAt` seconds after the write.
 */
export function analyticPoll(
  durationSeconds: number,
  waitAfter: (attempt: number) => number,
  firstAt = 0,
): { describes: number; lag: number } {
  let elapsed = firstAt;
  let describes = 1;
  while (elapsed < durationSeconds && describes < 100_000) {
    elapsed += waitAfter(describes);
    describes += 1;
  }
  return { describes, lag: elapsed - durationSeconds };
}
