/**
 * One rung up or down the spec ladder (the 12 bandwidth specs, smallest first), never outside the bounds the
 * deployer sets on the start function: RIFLOW_ALERT_MIN_SPEC and RIFLOW_ALERT_MAX_SPEC (s.yaml).
 */
import { InvalidInputError } from '../input-error/invalid-input';
import { BANDWIDTH_SPECS, BANDWIDTH_SPEC_NAMES, type BandwidthSpec } from '../vpc-api/specs';
import { validateTargetSpec } from '../vpc/validate';
import type { SpecDirection } from './cloudmonitor-alert';

export interface SpecBounds {
  min: BandwidthSpec;
  max: BandwidthSpec;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** The bounds, checked: both set, both valid specs, the minimum not above the maximum. */
export function readSpecBounds(env: Environment): SpecBounds {
  const min = validateTargetSpec(env.RIFLOW_ALERT_MIN_SPEC?.trim(), 'RIFLOW_ALERT_MIN_SPEC');
  const max = validateTargetSpec(env.RIFLOW_ALERT_MAX_SPEC?.trim(), 'RIFLOW_ALERT_MAX_SPEC');
  if (BANDWIDTH_SPECS[min] > BANDWIDTH_SPECS[max]) {
    throw new InvalidInputError('RIFLOW_ALERT_MIN_SPEC', 'bounds', `${min} is above RIFLOW_ALERT_MAX_SPEC ${max}`);
  }
  return { min, max };
}

export type SpecStep = { spec: BandwidthSpec } | { skipped: string };

/**
 * The next spec from `current` in `direction`, clamped into the bounds; a skip (with the reason) when that is no
 * move in the asked direction — already at the bound, or an accepting interface (spec `Negative`).
 */
export function stepSpec(current: string, direction: SpecDirection, bounds: SpecBounds): SpecStep {
  if (!(current in BANDWIDTH_SPECS)) return { skipped: `its spec is ${current}: only an initiating interface's spec can be changed` };
  const now = BANDWIDTH_SPECS[current as BandwidthSpec];
  const inBounds = BANDWIDTH_SPEC_NAMES.filter((spec) => BANDWIDTH_SPECS[spec] >= BANDWIDTH_SPECS[bounds.min] && BANDWIDTH_SPECS[spec] <= BANDWIDTH_SPECS[bounds.max]);
  const target = direction === 'up' ? inBounds.find((spec) => BANDWIDTH_SPECS[spec] > now) : inBounds.findLast((spec) => BANDWIDTH_SPECS[spec] < now);
  if (!target) {
    const bound = direction === 'up' ? `RIFLOW_ALERT_MAX_SPEC ${bounds.max}` : `RIFLOW_ALERT_MIN_SPEC ${bounds.min}`;
    return { skipped: `it is at ${current}, and ${bound} allows no step ${direction}` };
  }
  return { spec: target };
}
