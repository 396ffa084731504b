/**
 * "The cloud" for the parity tests: a second emulator serving parity/s.yaml's functions and flows, set up to
 * behave differently from the twin's defaults in a few places, as a real account might: the older wrong-status
 * dialect, ExecutionAlreadyExists as 400, an interpreter policy that differs in two values (length() counts UTF-8
 * bytes, no TaskStarted event) and the FC runtime reading errorType from `name`. The probes reach it over HTTP with
 * the same clients (pop-core, fc2) and real signatures they use on Alibaba Cloud.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { probeContextOn } from '../../src/cli/parity/twin';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { VirtualClock } from '../../src/flow/clock';
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../../src/flow/policy';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from '../../src/local-fc/policy';
import type { ProbeContext } from '../../src/parity/apis';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const PARITY_S_YAML = join(ROOT, 'parity', 's.yaml');
export const PARITY_FLOWS = join(ROOT, 'parity', 'flows');

/** The interpreter's policy on "the cloud": two values unlike the twin's defaults. */
const CLOUD_CLOUDFLOW_POLICY: CloudFlowPolicy = {
  ...CLOUDFLOW_POLICY,
  expressions: { ...CLOUDFLOW_POLICY.expressions, stringLength: 'utf8-bytes' },
  history: { ...CLOUDFLOW_POLICY.history, taskStarted: false },
};
const CLOUD_LOCAL_FC_POLICY: LocalFcPolicy = { ...LOCAL_FC_POLICY, errorType: 'name-property' };

export interface FakeCloud {
  emulator: RunningEmulator;
  context: ProbeContext;
  stop(): Promise<void>;
}

/** `faces: false` starts the cloud without the probes' functions and flows, as if the deploy had not happened. */
export async function startFakeCloud(options: { faces?: boolean } = {}): Promise<FakeCloud> {
  const faces = options.faces ?? true;
  const emulator = await startEmulator({
    seed: 'demo',
    clock: new VirtualClock(Date.now()),
    config: { preset: 'fast', statusErrorDialect: 'IncorrectStatus', executionAlreadyExistsStatus: 400 },
    ...(faces
      ? {
          cloudflow: { sYamlPath: PARITY_S_YAML, workflowsDir: PARITY_FLOWS },
          functions: { sYamlPath: PARITY_S_YAML },
          policy: { cloudflow: CLOUD_CLOUDFLOW_POLICY, localFc: CLOUD_LOCAL_FC_POLICY },
        }
      : {}),
  });
  return { emulator, context: probeContextOn(emulator, 20_000), stop: () => emulator.stop() };
}

export function scratch(prefix = 'riflow-parity-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A deployer that only records what it was asked to do, and fails where told to. */
export function fakeDeployer(options: { failDeploy?: boolean } = {}) {
  const steps: string[] = [];
  return {
    steps,
    deployer: {
      async deploy() {
        steps.push('deploy');
        if (options.failDeploy) throw new Error('s deploy exited with 1');
      },
      async remove() {
        steps.push('remove');
      },
    },
  };
}
