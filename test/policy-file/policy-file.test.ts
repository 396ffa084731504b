/** The policy file: every leaf of both policies is a setting, checked by its rule; a broken file says where. */
import { describe, expect, it } from 'vitest';
import { CLOUDFLOW_POLICY } from '../../src/flow/policy';
import { LOCAL_FC_POLICY } from '../../src/local-fc/policy';
import { PolicyFileError, parsePolicyFile, policiesFrom, renderPolicyFile } from '../../src/policy-file/policy-file';
import { SETTINGS } from '../../src/policy-file/settings';

const HEADER = '"format": "riflow-policy", "version": 1';

function problem(text: string, options = {}): PolicyFileError {
  try {
    parsePolicyFile(text, 'riflow.policy.json', options);
  } catch (error) {
    if (error instanceof PolicyFileError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('the policy file', () => {
  it('has a setting for every leaf of CLOUDFLOW_POLICY and LOCAL_FC_POLICY, and the emulator\'s two', () => {
    const paths = SETTINGS.map((setting) => setting.path);
    expect(paths).toContain('cloudflow.errorNames.fcUnknown');
    expect(paths).toContain('cloudflow.expressions.stringLength');
    expect(paths).toContain('cloudflow.history.stepStartedOmittedFor');
    expect(paths).toContain('cloudflow.catchNextInput');
    expect(paths).toContain('localFc.errorNames.functionTimeout');
    expect(paths.filter((path) => path.startsWith('emulator.'))).toEqual(['emulator.statusErrorDialect', 'emulator.executionAlreadyExistsStatus']);
    const leaves = (value: object): number => Object.values(value).reduce<number>((sum, child) => sum + (typeof child === 'object' && !Array.isArray(child) ? leaves(child as object) : 1), 0);
    expect(paths.length).toBe(leaves(CLOUDFLOW_POLICY) + leaves(LOCAL_FC_POLICY) + 2);
  });

  it('puts its values over the built-in ones, and only those', () => {
    const file = parsePolicyFile(
      `{${HEADER}, "cloudflow": {"expressions": {"stringLength": "utf8-bytes"}, "history": {"stepStartedOmittedFor": ["Choice"]}, "errorNames": {"fcUnknown": "FC.Mystery"}}, "localFc": {"errorType": "name-property"}, "emulator": {"statusErrorDialect": "IncorrectStatus"}}`,
      'riflow.policy.json',
    );
    const policies = policiesFrom(file);
    expect(policies.cloudflow.expressions).toEqual({ ...CLOUDFLOW_POLICY.expressions, stringLength: 'utf8-bytes' });
    expect(policies.cloudflow.history.stepStartedOmittedFor).toEqual(['Choice']);
    expect(policies.cloudflow.missingPath).toBe(CLOUDFLOW_POLICY.missingPath);
    expect(policies.localFc.errorType).toBe('name-property');
    // The runtime reports CloudFlow's name where FC gives none, so it follows the file's fcUnknown.
    expect(policies.localFc.errorNames.unknown).toBe('FC.Mystery');
    expect(policies.emulator).toEqual({ statusErrorDialect: 'IncorrectStatus' });
    // The built-in objects are untouched.
    expect(CLOUDFLOW_POLICY.expressions.stringLength).toBe('code-points');
  });

  it('writes what it reads back, in a stable order', () => {
    const text = `{${HEADER}, "localFc": {"errorType": "name-property"}, "cloudflow": {"missingPath": "null", "defaultBackoffRate": 2}, "sources": {"cloudflow.missingPath": "recorded"}}`;
    const rendered = renderPolicyFile(parsePolicyFile(text, 'x'));
    expect(JSON.parse(rendered)).toEqual({
      format: 'riflow-policy',
      version: 1,
      cloudflow: { defaultBackoffRate: 2, missingPath: 'null' },
      localFc: { errorType: 'name-property' },
      sources: { 'cloudflow.missingPath': 'recorded' },
    });
    expect(Object.keys(JSON.parse(rendered) as object)).toEqual(['format', 'version', 'cloudflow', 'localFc', 'sources']);
    expect(renderPolicyFile(parsePolicyFile(rendered, 'x'))).toBe(rendered);
  });

  it('refuses a broken file with the line and column, the setting and the rule', () => {
    expect(problem('{"format": "riflow-policy",\n "version": 1,\n}').message).toBe('riflow.policy.json:3:1: not valid JSON (PropertyNameExpected) [rule: json]');
    expect(problem('').message).toBe('riflow.policy.json:1:1: not valid JSON (ValueExpected) [rule: json]');
    expect(problem('{"format": "riflow-settings", "version": 1}').message).toMatch(/^riflow\.policy\.json:1:2 format: must be "riflow-policy"/);
    expect(problem(`{${HEADER},\n "cloudflow": {\n  "expressions": {"stringLength": "utf16"}}}`).message).toBe(
      'riflow.policy.json:3:19 cloudflow.expressions.stringLength: must be one of "code-points", "utf8-bytes" [rule: enum]',
    );
    expect(problem(`{${HEADER}, "cloudflow": {"missingPaht": "omit"}}`).message).toMatch(/cloudflow\.missingPaht: names no setting .* \[rule: unknown\]$/);
    expect(problem(`{${HEADER}, "cloudflow": {"expressions": "exact"}}`).message).toMatch(/cloudflow\.expressions: must be an object of settings \[rule: type\]$/);
    expect(problem(`{${HEADER}, "interpreter": {}}`).message).toMatch(/interpreter: is not a section/);
    expect(problem(`{${HEADER}, "cloudflow": {"mapConcurrencyFields": ["MaxConcurrency", "MaxConcurrency"]}}`).message).toMatch(/must not list a value twice \[rule: subset\]$/);
    expect(problem(`{${HEADER}, "cloudflow": {"defaultBackoffRate": 0.5}}`).message).toMatch(/must be a number from 1 to 100 \[rule: number\]$/);
    expect(problem(`{${HEADER}, "emulator": {"verifySignatures": false}}`).message).toMatch(/emulator\.verifySignatures: names no setting/);
    expect(problem(`{${HEADER}, "sources": {"cloudflow.nope": "x"}}`).message).toMatch(/sources\.cloudflow\.nope: names no setting/);
  });

  it('checks emulator values with the rule it is given (the emulator\'s own)', () => {
    const checkEmulatorValue = (key: string, value: unknown) => (key === 'executionAlreadyExistsStatus' && value === 700 ? { rule: 'range', detail: 'must be 400-599' } : undefined);
    expect(problem(`{${HEADER}, "emulator": {"executionAlreadyExistsStatus": 700}}`, { checkEmulatorValue }).message).toBe(
      'riflow.policy.json:1:56 emulator.executionAlreadyExistsStatus: must be 400-599 [rule: range]',
    );
  });
});
