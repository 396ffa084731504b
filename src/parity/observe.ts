/** Runs cases on one side (the twin, for a comparison) and keeps each masked observation or the error it ended with. */
import type { ProbeContext } from './apis';
import type { Observation, ParityCase } from './case';
import { maskObservation, type MaskOptions } from './mask';

export async function observe(cases: readonly ParityCase[], context: ProbeContext, mask: MaskOptions): Promise<Map<string, Observation | Error>> {
  const observations = new Map<string, Observation | Error>();
  for (const parityCase of cases) {
    try {
      observations.set(parityCase.id, maskObservation(await parityCase.run(context), mask));
    } catch (error) {
      observations.set(parityCase.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return observations;
}

/** The run's own strings a snapshot must not keep: its execution names (all start with the run id). */
export function runMask(runId: string, extra: ReadonlyArray<readonly [string, string]> = []): MaskOptions {
  return { volatile: [[`parity-${runId}`, 'parity-<run>'], ...extra] };
}
