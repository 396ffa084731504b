import { InvalidInputError } from '../input-error/invalid-input';
import { describeValue } from '../rpc/safe-text';
import { FLEET_LIMITS } from './fleet-limits';
import { validateSelector, type InterfaceSelector } from './selector';
import { validateRouterInterfaceId } from './validate';

/** Which interfaces a fleet change is for: a selector resolved when the run starts, or a list of ids. */
export type FleetTarget = { select: InterfaceSelector } | { routerInterfaceIds: string[] };

type Bag = Record<string, unknown>;

function fail(field: string, rule: string, expectation: string, value: unknown): never {
  throw new InvalidInputError(field, rule, `${expectation} (got ${describeValue(value)})`);
}

/** An explicit list: 1 to 2,000 distinct ids. */
export function validateRouterInterfaceIds(value: unknown, field = 'routerInterfaceIds', max: number = FLEET_LIMITS.maxListedIds): string[] {
  if (!Array.isArray(value)) fail(field, 'type', 'must be a list of router interface ids', value);
  if (value.length === 0) fail(field, 'fleet-size', 'must hold at least one id', value);
  if (value.length > max) {
    fail(field, 'fleet-size', `must hold at most ${max} ids (a longer list would not fit CloudFlow's 64 KiB execution input; use a selector instead)`, `${value.length} ids`);
  }
  const seen = new Set<string>();
  return value.map((id: unknown, index) => {
    const checked = validateRouterInterfaceId(id, `${field}[${index}]`);
    if (seen.has(checked)) fail(`${field}[${index}]`, 'duplicate', 'must not repeat an id', id);
    seen.add(checked);
    return checked;
  });
}

/** Exactly one of `select` and `routerInterfaceIds`. */
export function validateFleetTarget(event: Bag, at: (name: string) => string): FleetTarget {
  const hasSelect = event.select !== undefined;
  const hasIds = event.routerInterfaceIds !== undefined;
  if (hasSelect === hasIds) {
    throw new InvalidInputError(at(hasSelect ? 'routerInterfaceIds' : 'select'), 'fleet-target', hasSelect ? 'cannot be combined with select: give one of them' : 'or routerInterfaceIds is required: the interfaces to change');
  }
  return hasSelect ? { select: validateSelector(event.select, at('select')) } : { routerInterfaceIds: validateRouterInterfaceIds(event.routerInterfaceIds, at('routerInterfaceIds')) };
}
