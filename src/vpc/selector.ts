import { InvalidInputError } from '../input-error/invalid-input';
import { describeValue } from '../rpc/safe-text';
import type { RouterInterfaceFilter } from './validate';

/**
 * Which router interfaces a fleet change is for, resolved when the run starts so the input stays small: those of
 * one router, those carrying a tag, those whose name matches a pattern, or any combination of them (all must match).
 * DescribeRouterInterfaces filters by `RouterId` and `Name` (exact; `Filter.N`) and by `Tags.N`; a name pattern
 * with wildcards is matched here, on each page the API returns. Checked before any call: a refusal names the field.
 */
export interface InterfaceSelector {
  routerId?: string;
  tag?: { key: string; value?: string };
  /** `*` any run of characters, `?` one character; without either, the API's exact Name filter. */
  namePattern?: string;
}

/** What one page of a selector is asked for: the API's filters and tags. */
export interface SelectorQuery {
  filters: RouterInterfaceFilter[];
  tags: Array<{ key: string; value?: string }>;
}

const ROUTER_ID_PATTERN = /^(vrt|vbr)-[a-z0-9]{1,64}$/;
/** The Tags field of DescribeRouterInterfaces: a key of at most 128 characters, not starting with `aliyun` or
 * `acs:`, without `http://` or `https://`; a value the same, or empty. */
const TAG_TEXT_MAX = 128;
const NAME_MAX = 128;

function fail(field: string, rule: string, expectation: string, value: unknown): never {
  throw new InvalidInputError(field, rule, `${expectation} (got ${describeValue(value)})`);
}

function isBag(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tagText(value: unknown, field: string, allowEmpty: boolean): string {
  if (typeof value !== 'string') fail(field, 'type', 'must be a string', value);
  if ((!allowEmpty && value === '') || value.length > TAG_TEXT_MAX) fail(field, 'length', `must be ${allowEmpty ? 0 : 1} to ${TAG_TEXT_MAX} characters`, value);
  if (/^(aliyun|acs:)/i.test(value) || /https?:\/\//i.test(value)) fail(field, 'format', 'cannot start with "aliyun" or "acs:" nor contain http:// or https://', value);
  return value;
}

/** A selector with at least one of routerId, tag and namePattern; unknown keys are dropped. */
export function validateSelector(value: unknown, field = 'select'): InterfaceSelector {
  if (!isBag(value)) fail(field, 'shape', 'must be an object {routerId?, tag?: {key, value?}, namePattern?}', value);
  const selector: InterfaceSelector = {};
  if (value.routerId !== undefined) {
    if (typeof value.routerId !== 'string' || !ROUTER_ID_PATTERN.test(value.routerId)) {
      fail(`${field}.routerId`, 'format', 'must look like "vrt-" or "vbr-" followed by lower-case letters and digits', value.routerId);
    }
    selector.routerId = value.routerId;
  }
  if (value.tag !== undefined) {
    if (!isBag(value.tag)) fail(`${field}.tag`, 'shape', 'must be an object {key, value?}', value.tag);
    const key = tagText(value.tag.key, `${field}.tag.key`, false);
    selector.tag = value.tag.value === undefined ? { key } : { key, value: tagText(value.tag.value, `${field}.tag.value`, true) };
  }
  if (value.namePattern !== undefined) {
    const pattern = value.namePattern;
    if (typeof pattern !== 'string' || pattern.length < 1 || pattern.length > NAME_MAX || hasControlCharacter(pattern)) {
      fail(`${field}.namePattern`, 'format', `must be 1 to ${NAME_MAX} characters without control characters (* and ? are wildcards)`, pattern);
    }
    selector.namePattern = pattern;
  }
  if (Object.keys(selector).length === 0) {
    fail(field, 'selector-empty', 'must name at least one of routerId, tag and namePattern (a fleet is never "every interface in the region" by accident)', value);
  }
  return selector;
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

export function selectorQuery(selector: InterfaceSelector): SelectorQuery {
  const filters: RouterInterfaceFilter[] = [];
  if (selector.routerId !== undefined) filters.push({ key: 'RouterId', values: [selector.routerId] });
  if (selector.namePattern !== undefined && !hasWildcard(selector.namePattern)) filters.push({ key: 'Name', values: [selector.namePattern] });
  return { filters, tags: selector.tag ? [selector.tag] : [] };
}

/** Whether an interface's name passes the selector's pattern (always, without one). */
export function nameMatches(selector: InterfaceSelector, name: string | undefined): boolean {
  const pattern = selector.namePattern;
  if (pattern === undefined) return true;
  if (!hasWildcard(pattern)) return name === pattern;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return name !== undefined && new RegExp(`^${source}$`, 's').test(name);
}
