/**
 * The twin side of a parity comparison: an emulator in this process serving parity/s.yaml's functions (FC API) and
 * flows (CloudFlow API, run by the interpreter) with the policy in force, on a virtual clock so that a probe's
 * waits take no time, and the demo seed, whose initiator stands in for the test pair. The probes reach it over
 * HTTP with the same clients they use on the cloud.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_ACCOUNT_ID, DEMO_INITIATOR_ID, DEMO_REGION, startEmulator, type RunningEmulator } from '../../emulator';
import { VirtualClock } from '../../flow/clock';
import type { ProbeContext } from '../../parity/apis';
import { parityFlowsDir, paritySYaml } from '../../parity/deploy';
import type { PolicyInForce } from '../policy';
import { createParityApis } from './apis';

export interface Twin {
  context: ProbeContext;
  emulator: RunningEmulator;
  stop(): Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Unique per run: a UTC timestamp and a few random characters (execution names must start with a letter). */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}-${randomBytes(3).toString('hex')}`;
}

export async function startTwin(root: string, policy: PolicyInForce): Promise<Twin> {
  const sYamlPath = paritySYaml(root);
  const emulator = await startEmulator({
    seed: 'demo',
    clock: new VirtualClock(Date.now()),
    config: { ...policy.emulator, preset: 'fast' },
    cloudflow: { sYamlPath, workflowsDir: parityFlowsDir(root) },
    functions: { sYamlPath },
    policy: { cloudflow: policy.cloudflow, localFc: policy.localFc },
  });
  return { emulator, context: probeContextOn(emulator), stop: () => emulator.stop() };
}

/** The probes' context against an emulator with the demo seed, reached over HTTP at its URL for every API; its
 * initiator stands in for the test pair. */
export function probeContextOn(emulator: RunningEmulator, timeoutMs = 30_000): ProbeContext {
  const apis = createParityApis({
    vpc: emulator.url,
    cloudflow: emulator.url,
    fc: emulator.url,
    accountId: DEMO_ACCOUNT_ID,
    region: DEMO_REGION,
    credentials: emulator.credentials,
  });
  return { apis, region: DEMO_REGION, testPair: DEMO_INITIATOR_ID, runId: newRunId(), poll: { intervalMs: 5, timeoutMs }, sleep: realSleep };
}
