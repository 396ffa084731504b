/**
 * The policy file (`riflow.policy.json`): the values that change what the twin does where the public docs are
 * silent, usually written by `riflow parity --apply` from a recording. The one reader and writer of the format:
 *
 *   { "format": "riflow-policy", "version": 1,
 *     "cloudflow": { "expressions": { "stringLength": "utf8-bytes" } },   // leaves of CLOUDFLOW_POLICY
 *     "localFc":   { "errorType": "name-property" },                       // leaves of LOCAL_FC_POLICY
 *     "emulator":  { "statusErrorDialect": "IncorrectStatus" },             // the emulator's open behaviours
 *     "sources":   { "localFc.errorType": "recorded in cn-hangzhou on 2026-12-01 (case fc.error-type)" } }
 *
 * Every section is optional; what a file leaves out keeps its built-in value. A value that breaks its rule, a key
 * that names no setting, or text that is not JSON is a `PolicyFileError` with the file, the line and column, the
 * setting and the rule: a broken file is never read as half a policy.
 */
import { CLOUDFLOW_POLICY, type CloudFlowPolicy } from '../flow/policy';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from '../local-fc/policy';
import { JsonSyntaxError, parseJsonSource, type JsonPath, type Position } from './json-source';
import { SECTIONS, SETTINGS, findSetting, ruleProblem, type SectionName } from './settings';

const POLICY_FILE_FORMAT = 'riflow-policy';
const POLICY_FILE_VERSION = 1;
/** Where riflow looks for a policy file when neither --policy nor RIFLOW_POLICY names one. */
export const POLICY_FILE_NAME = 'riflow.policy.json';

type SettingValue = string | number | boolean | readonly string[];

/** The values a file sets, by setting path, and where each came from (free text, optional). */
export interface PolicyFile {
  values: ReadonlyMap<string, SettingValue>;
  sources: ReadonlyMap<string, string>;
}

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
  constructor(
    readonly file: string,
    readonly position: Position,
    /** The setting or field, e.g. `cloudflow.missingPath`; empty for the file as a whole. */
    readonly field: string,
    readonly rule: string,
    detail: string,
  ) {
    super(`${file}:${position.line}:${position.column}${field ? ` ${field}` : ''}: ${detail} [rule: ${rule}]`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ParseOptions {
  /**
   * The rule of an emulator setting beyond its type, from the emulator itself (the CLI passes its configuration
   * check): the problem, or undefined. Without it, emulator values are checked by type only.
   */
  checkEmulatorValue?: (key: string, value: unknown) => { rule: string; detail: string } | undefined;
}

/** Reads a policy file's text; `file` names it in errors. */
export function parsePolicyFile(text: string, file: string, options: ParseOptions = {}): PolicyFile {
  let source;
  try {
    source = parseJsonSource(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new PolicyFileError(file, error.position, '', 'json', error.message);
    throw error;
  }
  const fail = (path: JsonPath, rule: string, detail: string): never => {
    throw new PolicyFileError(file, source.positionOf(path), path.join('.'), rule, detail);
  };
  const doc = source.value;
  if (!isObject(doc)) return fail([], 'type', `must be a JSON object {"format": "${POLICY_FILE_FORMAT}", "version": ${POLICY_FILE_VERSION}, …}`);
  if (doc.format !== POLICY_FILE_FORMAT) fail(['format'], 'format', `must be "${POLICY_FILE_FORMAT}" (this is not a riflow policy file)`);
  if (doc.version !== POLICY_FILE_VERSION) fail(['version'], 'version', `must be ${POLICY_FILE_VERSION}; this riflow reads version ${POLICY_FILE_VERSION} only`);

  const values = new Map<string, SettingValue>();
  const walk = (node: unknown, keys: string[]): void => {
    if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) walk(child, [...keys, key]);
      return;
    }
    const path = keys.join('.');
    const setting = findSetting(path);
    if (!setting) {
      const parent = SETTINGS.some((candidate) => candidate.path.startsWith(`${path}.`));
      return fail(keys, parent ? 'type' : 'unknown', parent ? 'must be an object of settings' : 'names no setting (riflow parity --show-policy lists them)');
    }
    const problem = ruleProblem(setting.rule, node);
    if (problem) fail(keys, setting.rule.kind, problem);
    const emulatorProblem = setting.section === 'emulator' ? options.checkEmulatorValue?.(setting.keys[0] as string, node) : undefined;
    if (emulatorProblem) fail(keys, emulatorProblem.rule, emulatorProblem.detail);
    values.set(path, node as SettingValue);
  };
  for (const [key, node] of Object.entries(doc)) {
    if (key === 'format' || key === 'version') continue;
    if (key === 'sources') continue;
    if (!SECTIONS.includes(key as SectionName)) fail([key], 'unknown', `is not a section (expected ${SECTIONS.join(', ')}, sources)`);
    if (!isObject(node)) fail([key], 'type', 'must be an object of settings');
    walk(node, [key]);
  }

  const sources = new Map<string, string>();
  if (doc.sources !== undefined) {
    if (!isObject(doc.sources)) fail(['sources'], 'type', 'must be an object: setting path → where its value comes from');
    for (const [path, note] of Object.entries(doc.sources as Record<string, unknown>)) {
      if (!findSetting(path)) fail(['sources', path], 'unknown', 'names no setting');
      if (typeof note !== 'string') fail(['sources', path], 'type', 'must be a string');
      sources.set(path, note as string);
    }
  }
  return { values, sources };
}

/** The text of a policy file: sections in a fixed order, settings in the policy objects' order, one per line. */
export function renderPolicyFile(policy: PolicyFile): string {
  const doc: Record<string, unknown> = { format: POLICY_FILE_FORMAT, version: POLICY_FILE_VERSION };
  for (const setting of SETTINGS) {
    const value = policy.values.get(setting.path);
    if (value === undefined) continue;
    let node = (doc[setting.section] ??= {}) as Record<string, unknown>;
    for (const key of setting.keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[setting.keys[setting.keys.length - 1] as string] = value;
  }
  const sources = SETTINGS.filter((setting) => policy.sources.has(setting.path)).map((setting) => [setting.path, policy.sources.get(setting.path)]);
  if (sources.length > 0) doc.sources = Object.fromEntries(sources);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The twin's policies: the file's values over the built-in ones. */
export interface Policies {
  cloudflow: CloudFlowPolicy;
  localFc: LocalFcPolicy;
  /** Emulator configuration fields (checked by the emulator's own rules when applied). */
  emulator: Readonly<Record<string, SettingValue>>;
}

function withValues<T extends object>(defaults: T, section: SectionName, values: ReadonlyMap<string, SettingValue>): T {
  const copy = structuredClone(defaults) as Record<string, unknown>;
  for (const setting of SETTINGS) {
    if (setting.section !== section) continue;
    const value = values.get(setting.path);
    if (value === undefined) continue;
    let node = copy;
    for (const key of setting.keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[setting.keys[setting.keys.length - 1] as string] = structuredClone(value);
  }
  return copy as T;
}

/**
 * The policies a file puts in force. The local FC runtime reports CloudFlow's names where FC gives none
 * (src/local-fc/policy.ts): unless the file sets them itself, `localFc.errorNames.unknown` and `.handlerNotFound`
 * follow `cloudflow.errorNames.fcUnknown` and `.fcFunctionNotFound`.
 */
export function policiesFrom(file: PolicyFile | undefined): Policies {
  const values = file?.values ?? new Map<string, SettingValue>();
  const cloudflow = withValues(CLOUDFLOW_POLICY, 'cloudflow', values);
  const linked = new Map(values);
  if (!linked.has('localFc.errorNames.unknown')) linked.set('localFc.errorNames.unknown', cloudflow.errorNames.fcUnknown);
  if (!linked.has('localFc.errorNames.handlerNotFound')) linked.set('localFc.errorNames.handlerNotFound', cloudflow.errorNames.fcFunctionNotFound);
  const emulator: Record<string, SettingValue> = {};
  for (const setting of SETTINGS) {
    const value = values.get(setting.path);
    if (setting.section === 'emulator' && value !== undefined) emulator[setting.keys[0] as string] = value;
  }
  return { cloudflow, localFc: withValues(LOCAL_FC_POLICY, 'localFc', linked), emulator };
}
