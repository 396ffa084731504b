/**
 * `riflow parity --record`: deploy the probes, run every case on the cloud, write each observation as a masked
 * snapshot, and remove the probes whatever happened (a failed deploy, a failed case, an error anywhere): the
 * removal runs in a `finally`. Deploying and removing are injected (Serverless Devs by default, see deploy.ts), so
 * tests can stand in for them.
 */
import type { ProbeContext } from './apis';
import { CaseSkipped, type ParityCase } from './case';
import { maskObservation, type MaskOptions } from './mask';
import { writeSnapshot } from './snapshots';

export interface Deployer {
  /** Deploys the probes; rejects when they could not all be deployed. */
  deploy(): Promise<void>;
  /** Removes everything `deploy` may have created; also called after a failed deploy. */
  remove(): Promise<void>;
}

export type RecordedCase =
  | { id: string; outcome: 'recorded'; file: string }
  | { id: string; outcome: 'skipped' | 'failed'; reason: string };

export interface RecordResult {
  cases: RecordedCase[];
  /** The deploy failed: no case ran. */
  deployError?: string;
  /** The removal failed: probes may still be deployed. */
  removeError?: string;
}

export interface RecordOptions {
  cases: readonly ParityCase[];
  /** The cloud's APIs and the run's settings. */
  context: ProbeContext;
  deployer: Deployer;
  snapshotsDir: string;
  /** Where and when: the snapshots' `source`. The account is never written. */
  region: string;
  date: string;
  mask: MaskOptions;
  /** Told about each step as it happens. */
  onProgress?: (line: string) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function record(options: RecordOptions): Promise<RecordResult> {
  const progress = options.onProgress ?? (() => undefined);
  const cases: RecordedCase[] = [];
  const result: RecordResult = { cases };
  try {
    progress('deploying the probes');
    await options.deployer.deploy();
    for (const parityCase of options.cases) {
      progress(`recording ${parityCase.id}`);
      try {
        const observation = maskObservation(await parityCase.run(options.context), options.mask);
        const file = writeSnapshot(options.snapshotsDir, {
          caseId: parityCase.id,
          source: { kind: 'recorded', account: 'masked', region: options.region, date: options.date },
          observation,
        });
        cases.push({ id: parityCase.id, outcome: 'recorded', file });
      } catch (error) {
        cases.push({ id: parityCase.id, outcome: error instanceof CaseSkipped ? 'skipped' : 'failed', reason: messageOf(error) });
      }
    }
  } catch (error) {
    result.deployError = messageOf(error);
  } finally {
    progress('removing the probes');
    try {
      await options.deployer.remove();
    } catch (error) {
      result.removeError = messageOf(error);
    }
  }
  return result;
}
