/**
 * Router-interface specs and their bandwidths in Mbit/s, as the VPC API documents them: the `Spec` parameter of
 * CreateRouterInterface and ModifyRouterInterfaceSpec
 * (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createrouterinterface,
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-modifyrouterinterfacespec;
 * shared/reference/vpc-router-interface-api.md §4). `Negative` is the acceptor's placeholder spec ("When Role is
 * AcceptingSide, Spec is Negative"): an AcceptingSide interface reports it, nobody can modify to it. Spelling is
 * canonical and case-sensitive (`Xlarge.1`, not `XLarge.1`), as Terraform validates it.
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

export const NEGATIVE_SPEC = 'Negative';

/** One of the 12 specs an initiator can have. */
export type BandwidthSpec = keyof typeof BANDWIDTH_SPECS;
/** Any spec Describe can report. */
export type RouterInterfaceSpec = BandwidthSpec | typeof NEGATIVE_SPEC;

export const BANDWIDTH_SPEC_NAMES = Object.keys(BANDWIDTH_SPECS) as BandwidthSpec[];
export const ALL_SPEC_NAMES: readonly RouterInterfaceSpec[] = [...BANDWIDTH_SPEC_NAMES, NEGATIVE_SPEC];

export function isBandwidthSpec(value: unknown): value is BandwidthSpec {
  return typeof value === 'string' && Object.hasOwn(BANDWIDTH_SPECS, value);
}

export function isRouterInterfaceSpec(value: unknown): value is RouterInterfaceSpec {
  return value === NEGATIVE_SPEC || isBandwidthSpec(value);
}

/** Bandwidth in Mbit/s, or undefined for `Negative` (and for any text that is not a bandwidth spec). */
export function bandwidthOf(spec: string): number | undefined {
  return isBandwidthSpec(spec) ? BANDWIDTH_SPECS[spec] : undefined;
}
