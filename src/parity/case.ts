/**
 * A parity case: one behaviour the public docs leave open, probed the same way on the cloud and on the twin. Its
 * observation is a JSON object of named fields; a snapshot holds the cloud's (recorded, or derived from a doc page
 * that states the answer). Each rule says which setting a field settles and how to read its value from an
 * observation, so a difference can name the setting that would make the twin agree, and `--apply` can write it.
 */
import type { ProbeContext } from './apis';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Observation = { [field: string]: JsonValue };

/** A value a setting takes (the policy file's value types). */
export type SettingValue = string | number | boolean | readonly string[];

export interface SettingRule {
  /** A policy-file setting path, e.g. `cloudflow.expressions.stringLength`. */
  setting: string;
  /** The observation's fields it is read from: a difference in one of them points at this setting. */
  fields: readonly string[];
  /** The value the observation implies; undefined when it implies none this setting can take. */
  derive(observation: Observation): SettingValue | undefined;
}

export interface ParityCase {
  /** Stable id; the snapshot's file name: `parity/snapshots/<id>.json`. */
  id: string;
  /** What is being settled, for people. */
  title: string;
  /** Settings the observation decides. */
  settles: readonly SettingRule[];
  /** Where the twin's behaviour is fixed in code, for a difference no setting explains. */
  fixedIn: string;
  /** Needs the user's test pair on the cloud (`--test-pair`); without one the case is skipped when recording. */
  needsTestPair?: boolean;
  /** Probes and returns the observation (before masking). */
  run(context: ProbeContext): Promise<Observation>;
}

/** The case cannot run here (e.g. no test pair, or the pair is in a status the probe must not touch). */
export class CaseSkipped extends Error {
  override readonly name = 'CaseSkipped';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any value as JSON (undefined → null), so an observation is always serializable. */
export function json(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value) ?? 'null') as JsonValue;
}

/** Sorted keys of an object (empty for anything else). */
export function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value).sort() : [];
}

/** A rule that maps one field's value to a setting value through a table. */
export function fromTable(setting: string, field: string, table: Record<string, SettingValue>): SettingRule {
  return {
    setting,
    fields: [field],
    derive: (observation) => {
      const value = observation[field];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? table[String(value)] : undefined;
    },
  };
}

/** A rule that takes a string field as the setting's value. */
export function fromString(setting: string, field: string, when: (observation: Observation) => boolean = () => true): SettingRule {
  return {
    setting,
    fields: [field],
    derive: (observation) => {
      const value = observation[field];
      return typeof value === 'string' && value !== '' && when(observation) ? value : undefined;
    },
  };
}
