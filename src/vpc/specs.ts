/**
 * Router-interface specs and their bandwidths (VPC API, CreateRouterInterface / ModifyRouterInterfaceSpec).
 * `Negative` is the acceptor's placeholder spec: an AcceptingSide interface reports it, nobody can modify to it.
 * Spelling is canonical and case-sensitive (`Xlarge.1`, not `XLarge.1`), as Terraform validates it.
 */
export const BANDWIDTH_SPECS = {
  'Mini.2': 2,
  'Mini.5': 5,
  'Small.1': 10,
  'Small.2': 20,
  'Small.5': 50,
  'Middle.1': 100,
  'Middle.2': 200,
  'Middle.5': 500,
  'Large.1': 1_000,
  'Large.2': 2_000,
  'Large.5': 5_000,
  'Xlarge.1': 10_000,
} as const satisfies Record<string, number>;

/** One of the 12 specs an initiator can have. */
export type BandwidthSpec = keyof typeof BANDWIDTH_SPECS;
/** Any spec Describe can report. */
export type RouterInterfaceSpec = BandwidthSpec | 'Negative';

export const BANDWIDTH_SPEC_NAMES = Object.keys(BANDWIDTH_SPECS) as BandwidthSpec[];
export const ALL_SPEC_NAMES: readonly RouterInterfaceSpec[] = [...BANDWIDTH_SPEC_NAMES, 'Negative'];

export function isBandwidthSpec(value: unknown): value is BandwidthSpec {
  return typeof value === 'string' && Object.hasOwn(BANDWIDTH_SPECS, value);
}

export function isRouterInterfaceSpec(value: unknown): value is RouterInterfaceSpec {
  return value === 'Negative' || isBandwidthSpec(value);
}

/** Bandwidth in Mbit/s, or undefined for `Negative`. */
export function bandwidthOf(spec: RouterInterfaceSpec): number | undefined {
  return spec === 'Negative' ? undefined : BANDWIDTH_SPECS[spec];
}
