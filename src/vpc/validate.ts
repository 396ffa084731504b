import { InvalidInputError } from '../input-error/invalid-input';
import { describeValue } from '../rpc/safe-text';
import { ALL_SPEC_NAMES, BANDWIDTH_SPEC_NAMES, isBandwidthSpec, isRouterInterfaceSpec } from '../vpc-api/specs';
import type { BandwidthSpec, RouterInterfaceSpec } from '../vpc-api/specs';
import { FILTER_KEYS, isFilterKey, type FilterKey } from '../vpc-api/filter-keys';

/**
 * Checks run before any request, so a bad value never reaches the API (or the signature). Rules:
 * - routerInterfaceId: `ri-` then 1–64 lower-case letters or digits (real ids are `ri-` + 21 such characters).
 * - regionId: lower-case letters, then one or more `-`-separated groups of lower-case letters and digits
 *   (`cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`), at most 64 characters.
 * - spec: one of the 12 bandwidth specs, spelled exactly; `Negative` only where the caller allows it.
 * - clientToken: 1–64 visible ASCII characters (0x21–0x7E); the API requires ASCII ≤ 64.
 * - filters: at most 5, keys from the ten documented ones, each with 1–5 non-empty values of ≤ 256 visible
 *   characters (no control characters).
 */

const ROUTER_INTERFACE_ID_PATTERN = /^ri-[a-z0-9]{1,64}$/;
const REGION_ID_PATTERN = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const REGION_ID_MAX_LENGTH = 64;
const CLIENT_TOKEN_PATTERN = /^[\x21-\x7e]{1,64}$/;

const MAX_FILTERS = 5;
const MAX_FILTER_VALUES = 5;
const MAX_FILTER_VALUE_LENGTH = 256;

export interface RouterInterfaceFilter {
  key: FilterKey;
  values: string[];
}

function fail(field: string, rule: string, expectation: string, value: unknown): never {
  throw new InvalidInputError(field, rule, `${expectation} (got ${describeValue(value)})`);
}

function requireString(field: string, value: unknown): string {
  if (value === undefined || value === null) throw new InvalidInputError(field, 'required', 'is required');
  if (typeof value !== 'string') fail(field, 'type', 'must be a string', value);
  return value;
}

export function validateRouterInterfaceId(value: unknown, field = 'routerInterfaceId'): string {
  const text = requireString(field, value);
  if (!ROUTER_INTERFACE_ID_PATTERN.test(text)) {
    fail(field, 'format', 'must look like "ri-" followed by 1 to 64 lower-case letters and digits', value);
  }
  return text;
}

export function validateRegionId(value: unknown, field = 'regionId'): string {
  const text = requireString(field, value);
  if (text.length > REGION_ID_MAX_LENGTH) fail(field, 'length', `must be at most ${REGION_ID_MAX_LENGTH} characters`, value);
  if (!REGION_ID_PATTERN.test(text)) {
    fail(field, 'format', 'must look like "cn-hangzhou": lower-case letters and digits in dash-separated groups', value);
  }
  return text;
}

function specHint(text: string): string {
  const match = ALL_SPEC_NAMES.find((name) => name.toLowerCase() === text.toLowerCase());
  return match ? ` (did you mean "${match}"?)` : '';
}

/** A spec a caller may ask for: one of the 12 bandwidth specs. */
export function validateTargetSpec(value: unknown, field = 'spec'): BandwidthSpec {
  const text = requireString(field, value);
  if (text === 'Negative') fail(field, 'negative', 'cannot be "Negative": that spec belongs to accepting interfaces', value);
  if (!isBandwidthSpec(text)) {
    fail(field, 'enum', `must be one of ${BANDWIDTH_SPEC_NAMES.join(', ')}${specHint(text)}`, value);
  }
  return text;
}

/** Any spec, `Negative` included (acceptor side). */
export function validateSpec(value: unknown, field = 'spec'): RouterInterfaceSpec {
  const text = requireString(field, value);
  if (!isRouterInterfaceSpec(text)) fail(field, 'enum', `must be one of ${ALL_SPEC_NAMES.join(', ')}${specHint(text)}`, value);
  return text;
}

export function validateClientToken(value: unknown, field = 'clientToken'): string {
  const text = requireString(field, value);
  if (!CLIENT_TOKEN_PATTERN.test(text)) {
    fail(field, 'format', 'must be 1 to 64 visible ASCII characters (no spaces or control characters)', value);
  }
  return text;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}


export function validateFilters(value: unknown, field = 'filters'): RouterInterfaceFilter[] {
  if (!Array.isArray(value)) fail(field, 'type', 'must be an array of {key, values}', value);
  if (value.length > MAX_FILTERS) fail(field, 'count', `must hold at most ${MAX_FILTERS} filters`, value);
  return value.map((item: unknown, index): RouterInterfaceFilter => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(at, 'type', 'must be an object {key, values}', item);
    const { key, values } = item as { key?: unknown; values?: unknown };
    const keyText = requireString(`${at}.key`, key);
    if (!isFilterKey(keyText)) fail(`${at}.key`, 'enum', `must be one of ${FILTER_KEYS.join(', ')}`, key);
    if (!Array.isArray(values)) fail(`${at}.values`, 'type', 'must be an array of strings', values);
    if (values.length < 1 || values.length > MAX_FILTER_VALUES) {
      fail(`${at}.values`, 'count', `must hold 1 to ${MAX_FILTER_VALUES} values`, values);
    }
    const checked = values.map((entry: unknown, valueIndex) => {
      const valueField = `${at}.values[${valueIndex}]`;
      const text = requireString(valueField, entry);
      if (text.length < 1 || text.length > MAX_FILTER_VALUE_LENGTH || hasControlCharacter(text)) {
        fail(valueField, 'format', `must be 1 to ${MAX_FILTER_VALUE_LENGTH} characters without control characters`, entry);
      }
      return text;
    });
    return { key: keyText, values: checked };
  });
}

/** A non-negative integer (the poll attempt counter), capped so a hostile value cannot stall the schedule. */
export function validateAttempt(value: unknown, field = 'attempt', max = 100_000): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    fail(field, 'range', `must be an integer from 0 to ${max}`, value);
  }
  return value;
}
