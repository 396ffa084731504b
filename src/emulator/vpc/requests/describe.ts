import { VpcErrors } from '../errors';
import type { RequestParams } from './params';
import { isFilterKey, type FilterKey } from '../../../vpc-api/filter-keys';

/** DescribeRouterInterfaces (API reference §3): ten filter keys, `Filter.N.Key` / `Filter.N.Value.M`, `Tags.N`, paging ≤ 50. */

/** Values are compared exactly (case-sensitive): OR within a key, AND across keys. */
export interface DescribeFilter {
  key: FilterKey;
  values: ReadonlySet<string>;
}

/** `Tags.N.Key` and `Tags.N.Value`: an interface matches when it has every tag (any value when none is given). */
export interface TagFilter {
  key: string;
  value?: string;
}

export interface DescribeRequest {
  regionId: string;
  pageNumber: number;
  pageSize: number;
  /** In `N` order. */
  filters: DescribeFilter[];
  tags: TagFilter[];
}

/** "You must specify at least 1 tag key and can specify up to 20 tag keys" (DescribeRouterInterfaces, `Tags`). */
const MAX_TAGS = 20;

function parseTags(all: Readonly<Record<string, string>>): TagFilter[] {
  const byIndex = new Map<number, TagFilter>();
  for (const [name, text] of Object.entries(all)) {
    const match = /^Tags\.(\d+)\.(Key|Value)$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const tag = byIndex.get(index) ?? { key: '' };
    if (match[2] === 'Key') tag.key = text;
    else tag.value = text;
    byIndex.set(index, tag);
  }
  const tags = [...byIndex.entries()].sort(([a], [b]) => a - b);
  if (tags.length > MAX_TAGS) throw VpcErrors.tooManyTags();
  for (const [index, tag] of tags) if (tag.key === '') throw VpcErrors.missingTagKey(index);
  return tags.map(([, tag]) => tag);
}


function pagingNumber(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > max) throw VpcErrors.badPaging();
  return parsed;
}

function parseFilters(all: Readonly<Record<string, string>>): DescribeFilter[] {
  const filters: Array<DescribeFilter & { index: number }> = [];
  for (const [name, key] of Object.entries(all)) {
    const match = /^Filter\.(\d+)\.Key$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    if (!isFilterKey(key)) throw VpcErrors.filterKey(index);
    const values = new Set<string>();
    for (const [valueName, value] of Object.entries(all)) {
      if (valueName.startsWith(`Filter.${index}.Value.`)) values.add(value);
    }
    filters.push({ index, key, values });
  }
  return filters.sort((a, b) => a.index - b.index).map(({ key, values }) => ({ key, values }));
}

export function parseDescribeRequest(params: RequestParams, regionId: string): DescribeRequest {
  const pageNumber = pagingNumber(params.optional('PageNumber'), 1, Number.MAX_SAFE_INTEGER);
  const pageSize = pagingNumber(params.optional('PageSize'), 10, 50);
  return { regionId, pageNumber, pageSize, filters: parseFilters(params.all), tags: parseTags(params.all) };
}
