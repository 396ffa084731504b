type Bag = Record<string, unknown>;

function isBigNumber(value: object): boolean {
  return (value as { _isBigNumber?: unknown })._isBigNumber === true;
}

/**
 * Deep copy into ordinary objects. pop-core parses with json-bigint, which yields null-prototype objects and
 * BigNumber instances for integers beyond 2^53 (an unquoted 18-digit OppositeInterfaceOwnerId); big integers become
 * exact decimal strings.
 */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null) {
    if (isBigNumber(value)) return String(value);
    const copy: Bag = {};
    for (const key of Object.keys(value)) copy[key] = toPlain((value as Bag)[key]);
    return copy;
  }
  return value;
}

export function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
