/**
 * The twin's observations against the snapshots. A case with no snapshot is unconfirmed, never passed. Otherwise
 * each field the snapshot holds is compared whole; a field that differs names the setting that would make the twin
 * agree (the value its rule reads from the snapshot, when that is not already the value in force), or, when no
 * setting explains it, the code where the twin's behaviour is fixed.
 */
import type { JsonValue, Observation, ParityCase, SettingValue } from './case';
import type { Snapshot, SnapshotSource } from './snapshots';

export type Verdict = 'agrees' | 'differs' | 'unconfirmed' | 'failed';

export interface Suggestion {
  setting: string;
  /** What the snapshot implies. */
  value: SettingValue;
  /** What the twin has now. */
  inForce: unknown;
}

export interface Difference {
  field: string;
  cloud: JsonValue | undefined;
  twin: JsonValue | undefined;
  /** Settings that would make them agree; empty: see `fixedIn`. */
  suggestions: Suggestion[];
  fixedIn?: string;
}

export interface CaseComparison {
  id: string;
  title: string;
  verdict: Verdict;
  source?: SnapshotSource;
  /** The fields compared (a doc snapshot holds only the ones its page states). */
  fields: string[];
  differences: Difference[];
  /** The twin's observation, masked (absent when its run failed). */
  twin?: Observation;
  /** Why the twin's run failed. */
  error?: string;
}

/** A setting's value in force, by path. */
export type InForce = (setting: string) => unknown;

function canonical(value: unknown): string {
  // Setting values that are lists are sets (Map fields, state types): order does not matter.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return JSON.stringify([...value].sort());
  return JSON.stringify(value ?? null);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function compareCase(parityCase: ParityCase, snapshot: Snapshot | undefined, twin: Observation | Error, inForce: InForce): CaseComparison {
  const base = { id: parityCase.id, title: parityCase.title, ...(snapshot ? { source: snapshot.source } : {}) };
  const failed = twin instanceof Error ? { error: twin.message } : { twin };
  if (!snapshot) return { ...base, verdict: 'unconfirmed', fields: [], differences: [], ...failed };
  const fields = Object.keys(snapshot.observation).sort();
  if (twin instanceof Error) return { ...base, verdict: 'failed', fields, differences: [], error: twin.message };
  const differences: Difference[] = [];
  for (const field of fields) {
    const cloud = snapshot.observation[field];
    if (sameJson(cloud, twin[field])) continue;
    const suggestions: Suggestion[] = [];
    for (const rule of parityCase.settles) {
      if (!rule.fields.includes(field)) continue;
      const value = rule.derive(snapshot.observation);
      if (value === undefined || sameValue(value, inForce(rule.setting))) continue;
      if (!suggestions.some((known) => known.setting === rule.setting)) suggestions.push({ setting: rule.setting, value, inForce: inForce(rule.setting) });
    }
    differences.push({ field, cloud, twin: twin[field], suggestions, ...(suggestions.length === 0 ? { fixedIn: parityCase.fixedIn } : {}) });
  }
  return { ...base, verdict: differences.length > 0 ? 'differs' : 'agrees', fields, differences, twin };
}

export interface ComparisonSummary {
  agrees: number;
  differs: number;
  failed: number;
  unconfirmed: number;
}

export function summarize(results: readonly CaseComparison[]): ComparisonSummary {
  const count = (verdict: Verdict) => results.filter((result) => result.verdict === verdict).length;
  return { agrees: count('agrees'), differs: count('differs'), failed: count('failed'), unconfirmed: count('unconfirmed') };
}
