/**
 * Which policy file is in force, read and checked before a command runs anything: `--policy FILE`, else the file
 * `RIFLOW_POLICY` names, else `riflow.policy.json` in the current folder or the nearest one above it; none of them,
 * the built-in policies. `riflow run`, `riflow invoke`, `riflow emulator`, `riflow console` and `riflow parity` read
 * it the same way, and `riflow parity --show-policy` prints every value in force and where it comes from.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultConfig, mergeConfig } from '../emulator/config';
import type { EmulatorConfigPatch } from '../emulator/types';
import type { CloudFlowPolicy } from '../flow/policy';
import { InvalidInputError } from '../input-error/invalid-input';
import type { LocalFcPolicy } from '../local-fc/policy';
import { POLICY_FILE_NAME, PolicyFileError, parsePolicyFile, policiesFrom, renderPolicyFile, type PolicyFile } from '../policy-file/policy-file';
import { SETTINGS } from '../policy-file/settings';
import { CliError } from './errors';
import { displayPath } from './project';

export type PolicyOrigin = '--policy' | 'RIFLOW_POLICY' | 'found';

export interface PolicyInForce {
  /** The file in force (absolute); undefined: the built-in policies. */
  path?: string;
  origin?: PolicyOrigin;
  file?: PolicyFile;
  cloudflow: CloudFlowPolicy;
  localFc: LocalFcPolicy;
  /** The file's emulator settings, as a configuration patch (already checked by the emulator's rules). */
  emulator: EmulatorConfigPatch;
}

export interface PolicyOptions {
  /** `--policy FILE`. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The policy file that would be read, and how it was chosen; undefined when none is named or found. */
export function locatePolicyFile(options: PolicyOptions): { path: string; origin: PolicyOrigin } | undefined {
  if (options.flag !== undefined) return { path: resolve(options.cwd, options.flag), origin: '--policy' };
  const named = options.env.RIFLOW_POLICY?.trim();
  if (named) return { path: resolve(options.cwd, named), origin: 'RIFLOW_POLICY' };
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, POLICY_FILE_NAME);
    if (existsSync(candidate)) return { path: candidate, origin: 'found' };
    if (dirname(dir) === dir) return undefined;
  }
}

/** The emulator's own rule for one of its settings, as the policy file's parser takes it. */
function checkEmulatorValue(key: string, value: unknown): { rule: string; detail: string } | undefined {
  try {
    mergeConfig(defaultConfig(), { [key]: value });
    return undefined;
  } catch (error) {
    if (error instanceof InvalidInputError) return { rule: error.rule, detail: error.message.replace(/^[^:]*: /, '') };
    throw error;
  }
}

/** Reads a policy file; a missing, unreadable or invalid one is a CliError naming the file and where it broke. */
export function readPolicyFile(path: string, shown: string = path): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read the policy file ${shown}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`, 1, 'Name an existing file with --policy or RIFLOW_POLICY, or write one with riflow parity --apply.');
  }
  try {
    return parsePolicyFile(text, shown, { checkEmulatorValue });
  } catch (error) {
    if (error instanceof PolicyFileError) throw new CliError(`invalid policy file: ${error.message}`, 1, 'Fix the file (riflow parity --show-policy lists every setting and its values), or remove it to use the built-in policies.');
    throw error;
  }
}

export function loadPolicy(options: PolicyOptions): PolicyInForce {
  const located = locatePolicyFile(options);
  if (!located) return { ...policiesFrom(undefined), emulator: {} };
  const file = readPolicyFile(located.path, displayPath(options.cwd, located.path));
  const policies = policiesFrom(file);
  return { path: located.path, origin: located.origin, file, cloudflow: policies.cloudflow, localFc: policies.localFc, emulator: policies.emulator as EmulatorConfigPatch };
}


/** One line for a run's header: which policy is in force. */
export function policySummary(policy: PolicyInForce, cwd: string): string {
  if (!policy.path) return 'built in (no riflow.policy.json)';
  const count = policy.file?.values.size ?? 0;
  return `${displayPath(cwd, policy.path)} (${count} setting${count === 1 ? '' : 's'})`;
}

function valueAt(root: object, keys: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of keys) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

export interface SettingInForce {
  path: string;
  value: unknown;
  /** Set by the policy file (else built in). */
  fromFile: boolean;
  source?: string;
}

/** Every setting and its value in force, in the policy objects' order. */
export function settingsInForce(policy: PolicyInForce): SettingInForce[] {
  const emulator = mergeConfig(defaultConfig(), policy.emulator);
  const sections = { cloudflow: policy.cloudflow, localFc: policy.localFc, emulator };
  return SETTINGS.map((setting) => {
    const source = policy.file?.sources.get(setting.path);
    return {
      path: setting.path,
      value: valueAt(sections[setting.section], setting.keys),
      fromFile: policy.file?.values.has(setting.path) ?? false,
      ...(source !== undefined ? { source } : {}),
    };
  });
}

/** Writes a policy file atomically (a temp file beside it, then a rename). */
export function writePolicyFile(path: string, file: PolicyFile): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, renderPolicyFile(file));
  renameSync(temp, path);
}
