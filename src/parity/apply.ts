/**
 * `riflow parity --apply`: the settings a snapshot set implies, ready for the policy file. Every rule of every
 * case with a snapshot is read from that snapshot; a rule the snapshot implies nothing for is left out. Two
 * snapshots that imply different values for one setting: a recorded one wins over a doc-derived one (the account
 * is the authority the page describes); two of the same kind are a conflict, and nothing is written.
 */
import type { ParityCase, SettingValue } from './case';
import { sameValue } from './compare';
import type { Snapshot, SnapshotSource } from './snapshots';

export interface SettledValue {
  setting: string;
  value: SettingValue;
  caseId: string;
  source: SnapshotSource;
}

export interface Conflict {
  setting: string;
  a: SettledValue;
  b: SettledValue;
}

export interface SettledSettings {
  /** By setting path, in the order the cases list them. */
  settled: Map<string, SettledValue>;
  conflicts: Conflict[];
  /** A doc-derived value a recording overrode, for people. */
  overridden: Array<{ kept: SettledValue; dropped: SettledValue }>;
}

export function settleFromSnapshots(cases: readonly ParityCase[], snapshots: ReadonlyMap<string, Snapshot>): SettledSettings {
  const settled = new Map<string, SettledValue>();
  const conflicts: Conflict[] = [];
  const overridden: SettledSettings['overridden'] = [];
  for (const parityCase of cases) {
    const snapshot = snapshots.get(parityCase.id);
    if (!snapshot) continue;
    for (const rule of parityCase.settles) {
      const value = rule.derive(snapshot.observation);
      if (value === undefined) continue;
      const candidate: SettledValue = { setting: rule.setting, value, caseId: parityCase.id, source: snapshot.source };
      const known = settled.get(rule.setting);
      if (!known) {
        settled.set(rule.setting, candidate);
      } else if (sameValue(known.value, value)) {
        if (known.source.kind === 'doc' && candidate.source.kind === 'recorded') settled.set(rule.setting, candidate);
      } else if (known.source.kind !== candidate.source.kind) {
        const [kept, dropped] = known.source.kind === 'recorded' ? [known, candidate] : [candidate, known];
        settled.set(rule.setting, kept);
        overridden.push({ kept, dropped });
      } else {
        conflicts.push({ setting: rule.setting, a: known, b: candidate });
      }
    }
  }
  return { settled, conflicts, overridden };
}

/** Where a settled value comes from, for the policy file's `sources`. */
export function describeSource(value: SettledValue): string {
  const source = value.source;
  const from = source.kind === 'recorded' ? `recorded in ${source.region} on ${source.date}` : `documented at ${source.page}`;
  return `${from} (case ${value.caseId})`;
}
