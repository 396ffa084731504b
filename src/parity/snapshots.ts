/**
 * Snapshots: what the cloud answered for each case, one file per case, `parity/snapshots/<case-id>.json`:
 *
 *   { "format": "riflow-parity-snapshot", "version": 1, "case": "fc.error-type",
 *     "source": { "kind": "recorded", "account": "masked", "region": "cn-hangzhou", "date": "2026-12-01" }
 *            |  { "kind": "doc", "page": "https://…", "quote": "…" },
 *     "observation": { … } }
 *
 * A recorded snapshot holds the whole observation, masked; one derived from a doc page holds only the fields the
 * page states, and only those are compared. The reader refuses a file that is not JSON, a wrong format or version, a
 * case the suite does not have, a file named after another case, or a source of another kind, naming the file and
 * where it broke.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonSyntaxError, parseJsonSource, type JsonPath, type Position } from '../policy-file/json-source';
import { isObject, type Observation } from './case';
import { maskObservation } from './mask';

const SNAPSHOT_FORMAT = 'riflow-parity-snapshot';
const SNAPSHOT_VERSION = 1;

export type SnapshotSource =
  | { kind: 'recorded'; account: 'masked'; region: string; date: string }
  | { kind: 'doc'; page: string; quote: string };

export interface Snapshot {
  caseId: string;
  source: SnapshotSource;
  observation: Observation;
  /** The file it was read from (absent for one not yet written). */
  file?: string;
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    readonly file: string,
    readonly position: Position,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}:${position.line}:${position.column}${field ? ` ${field}` : ''}: ${detail}`);
  }
}

function readSource(value: unknown, fail: (path: JsonPath, detail: string) => never): SnapshotSource {
  if (!isObject(value)) return fail(['source'], 'must be an object {kind: "recorded" | "doc", …}');
  const text = (key: string): string => {
    const field = value[key];
    if (typeof field !== 'string' || field === '') fail(['source', key], 'must be a non-empty string');
    return field as string;
  };
  if (value.kind === 'recorded') {
    if (value.account !== 'masked') fail(['source', 'account'], 'must be "masked": a snapshot never holds an account id');
    const date = text('date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(['source', 'date'], 'must be a date YYYY-MM-DD');
    return { kind: 'recorded', account: 'masked', region: text('region'), date };
  }
  if (value.kind === 'doc') {
    const page = text('page');
    if (!/^https:\/\//.test(page)) fail(['source', 'page'], 'must be the https URL of the doc page');
    return { kind: 'doc', page, quote: text('quote') };
  }
  return fail(['source', 'kind'], 'must be "recorded" or "doc"');
}

/** Reads one snapshot's text; `caseIds` are the cases the suite has. */
export function parseSnapshot(text: string, file: string, expectedCase: string, caseIds: ReadonlySet<string>): Snapshot {
  let source;
  try {
    source = parseJsonSource(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new SnapshotError(file, error.position, '', error.message);
    throw error;
  }
  const fail = (path: JsonPath, detail: string): never => {
    throw new SnapshotError(file, source.positionOf(path), path.join('.'), detail);
  };
  const doc = source.value;
  if (!isObject(doc)) return fail([], `must be a JSON object {"format": "${SNAPSHOT_FORMAT}", …}`);
  if (doc.format !== SNAPSHOT_FORMAT) fail(['format'], `must be "${SNAPSHOT_FORMAT}"`);
  if (doc.version !== SNAPSHOT_VERSION) fail(['version'], `must be ${SNAPSHOT_VERSION}`);
  if (typeof doc.case !== 'string' || !caseIds.has(doc.case)) fail(['case'], `must name a case of the suite (${[...caseIds].join(', ')})`);
  if (doc.case !== expectedCase) fail(['case'], `is "${String(doc.case)}" but the file is named for "${expectedCase}"`);
  const snapshotSource = readSource(doc.source, fail);
  if (!isObject(doc.observation) || Object.keys(doc.observation).length === 0) fail(['observation'], 'must be an object with at least one field');
  return { caseId: doc.case as string, source: snapshotSource, observation: doc.observation as Observation, file };
}

function snapshotFile(dir: string, caseId: string): string {
  return join(dir, `${caseId}.json`);
}

/** Every snapshot in `dir` by case id (a missing folder has none). A file that is not `<case>.json` is an error. */
export function readSnapshots(dir: string, caseIds: ReadonlySet<string>): Map<string, Snapshot> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => !file.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const snapshots = new Map<string, Snapshot>();
  for (const name of files) {
    const file = join(dir, name);
    if (!name.endsWith('.json')) throw new SnapshotError(file, { line: 1, column: 1 }, '', 'is not a snapshot (<case-id>.json); move it out of the snapshots folder');
    const caseId = name.slice(0, -'.json'.length);
    snapshots.set(caseId, parseSnapshot(readFileSync(file, 'utf8'), file, caseId, caseIds));
  }
  return snapshots;
}

/** A snapshot's text: keys in a stable order, the observation masked once more. */
export function renderSnapshot(snapshot: Snapshot): string {
  const source = snapshot.source.kind === 'recorded'
    ? { kind: 'recorded', account: 'masked', region: snapshot.source.region, date: snapshot.source.date }
    : { kind: 'doc', page: snapshot.source.page, quote: snapshot.source.quote };
  const doc = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, case: snapshot.caseId, source, observation: maskObservation(snapshot.observation) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes one snapshot atomically; returns its file. */
export function writeSnapshot(dir: string, snapshot: Snapshot): string {
  mkdirSync(dir, { recursive: true });
  const file = snapshotFile(dir, snapshot.caseId);
  const temp = join(dir, `.${snapshot.caseId}.${process.pid}.tmp`);
  writeFileSync(temp, renderSnapshot(snapshot));
  renameSync(temp, file);
  return file;
}
