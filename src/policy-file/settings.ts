/**
 * Every value a policy file can set, named by its path (`cloudflow.expressions.stringLength`,
 * `localFc.errorType`, `emulator.statusErrorDialect`), with the rule its value must keep. The interpreter's and
 * the local FC runtime's settings are the leaves of their policy objects (CLOUDFLOW_POLICY, LOCAL_FC_POLICY): a
 * field added there is settable at once, checked by the type of its default unless a rule below says more. The
 * emulator's are the two behaviours it leaves to a setting; their values are checked by the emulator's own
 * configuration rules when the CLI applies them (src/cli/policy.ts).
 */
import { CLOUDFLOW_POLICY } from '../flow/policy';
import type { CloudFlowPolicy, ExpressionPolicy, HistoryPolicy } from '../flow/policy';
import type { StateType } from '../flow/model';
import { LOCAL_FC_POLICY, type LocalFcPolicy } from '../local-fc/policy';

export type SectionName = 'cloudflow' | 'localFc' | 'emulator';
export const SECTIONS: readonly SectionName[] = ['cloudflow', 'localFc', 'emulator'];

export type ValueRule =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'subset'; values: readonly string[] }
  | { kind: 'string' }
  | { kind: 'strings' }
  | { kind: 'number'; min: number; max: number; integer: boolean }
  | { kind: 'boolean' };

/** The list of every member of a string union, checked by the compiler: a missing member does not type-check. */
function every<T extends string>() {
  return <const L extends readonly T[]>(values: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })) => values;
}

const STATE_TYPES = every<StateType>()(['Task', 'Pass', 'Wait', 'Choice', 'Succeed', 'Fail', 'Parallel', 'Map']);

const oneOf = (values: readonly string[]): ValueRule => ({ kind: 'enum', values });

/** Rules stricter than "the type of the default", by path within the section. */
const CLOUDFLOW_RULES: Record<string, ValueRule> = {
  missingPath: oneOf(every<CloudFlowPolicy['missingPath']>()(['omit', 'null'])),
  mapConcurrencyFields: { kind: 'subset', values: ['MaxConcurrency', 'MaxConcuccency'] },
  missingRuleDescription: oneOf(every<CloudFlowPolicy['missingRuleDescription']>()(['warn', 'allow'])),
  catchNextInput: oneOf(every<CloudFlowPolicy['catchNextInput']>()(['state-input', 'error'])),
  taskErrorDetail: oneOf(every<CloudFlowPolicy['taskErrorDetail']>()(['error-message', 'error-body'])),
  // BackoffRate has no documented range; a rate below 1 would shrink the delays.
  defaultBackoffRate: { kind: 'number', min: 1, max: 100, integer: false },
  // The largest MaxBackoffSeconds the docs allow (src/flow/limits.ts retryMaxBackoffSecondsMax).
  delayCapWithoutMaxBackoffSeconds: { kind: 'number', min: 1, max: 86_400, integer: true },
  'expressions.regexMatchStringArguments': oneOf(every<ExpressionPolicy['regexMatchStringArguments']>()(['pattern-first', 'string-first'])),
  'expressions.stringLength': oneOf(every<ExpressionPolicy['stringLength']>()(['code-points', 'utf8-bytes'])),
  'expressions.stringToJsonResult': oneOf(every<ExpressionPolicy['stringToJsonResult']>()(['object', 'any-json'])),
  'expressions.variableNames': oneOf(every<ExpressionPolicy['variableNames']>()(['exact', 'case-insensitive'])),
  'history.retry': oneOf(every<HistoryPolicy['retry']>()(['task-rescheduled', 'step-restarted'])),
  'history.stepStartedOmittedFor': { kind: 'subset', values: STATE_TYPES },
};

const LOCAL_FC_RULES: Record<string, ValueRule> = {
  errorType: oneOf(every<LocalFcPolicy['errorType']>()(['class-name', 'name-property'])),
};

/** The emulator's settings a policy file may hold; what else its configuration has are knobs, not open questions. */
const EMULATOR_SETTINGS: Record<string, ValueRule> = {
  statusErrorDialect: { kind: 'string' },
  executionAlreadyExistsStatus: { kind: 'number', min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
};

export interface Setting {
  /** e.g. `cloudflow.expressions.stringLength`. */
  path: string;
  section: SectionName;
  /** The path within the section, as keys. */
  keys: readonly string[];
  rule: ValueRule;
}

function ruleOfDefault(value: unknown): ValueRule {
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (typeof value === 'number') return { kind: 'number', min: 0, max: Number.MAX_SAFE_INTEGER, integer: Number.isInteger(value) };
  if (Array.isArray(value)) return { kind: 'strings' };
  return { kind: 'string' };
}

function leaves(section: SectionName, defaults: object, rules: Record<string, ValueRule>, prefix: string[] = []): Setting[] {
  return Object.entries(defaults).flatMap(([key, value]): Setting[] => {
    const keys = [...prefix, key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return leaves(section, value as object, rules, keys);
    const local = keys.join('.');
    return [{ path: `${section}.${local}`, section, keys, rule: rules[local] ?? ruleOfDefault(value) }];
  });
}

/** Every setting, in the order of the policy objects. */
export const SETTINGS: readonly Setting[] = [
  ...leaves('cloudflow', CLOUDFLOW_POLICY, CLOUDFLOW_RULES),
  ...leaves('localFc', LOCAL_FC_POLICY, LOCAL_FC_RULES),
  ...Object.entries(EMULATOR_SETTINGS).map(([key, rule]): Setting => ({ path: `emulator.${key}`, section: 'emulator', keys: [key], rule })),
];

const BY_PATH = new Map(SETTINGS.map((setting) => [setting.path, setting]));

export function findSetting(path: string): Setting | undefined {
  return BY_PATH.get(path);
}

/** Why `value` breaks the rule, or undefined when it keeps it. */
export function ruleProblem(rule: ValueRule, value: unknown): string | undefined {
  const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');
  switch (rule.kind) {
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? undefined : `must be one of ${list(rule.values)}`;
    case 'subset':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && rule.values.includes(item))) {
        return `must be a list of ${list(rule.values)}`;
      }
      return new Set(value).size === value.length ? undefined : 'must not list a value twice';
    case 'string':
      return typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-empty string';
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '') ? undefined : 'must be a list of non-empty strings';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number': {
      const ok = typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && value >= rule.min && value <= rule.max;
      return ok ? undefined : `must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`;
    }
  }
}
