/**
 * The probes as deployed: parity/s.yaml declares exactly the flows in parity/flows and the functions they call,
 * all named riflow-parity-*, the CloudFlow role may invoke exactly those functions, and every case settles real
 * settings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/model';
import { parseFunctionArn } from '../../src/local-fc/function-arn';
import { PARITY_CASES } from '../../src/parity/cases/index';
import { PROBE_ERROR } from '../../src/parity/cases/functions';
import { findSetting } from '../../src/policy-file/settings';
import { SYaml } from '../../src/serverless/s-yaml';
import { PARITY_FLOWS, PARITY_S_YAML, ROOT } from './helpers';

const sYaml = SYaml.readFile(PARITY_S_YAML);

/** The functions a flow's tasks call, from their resourceArn. */
function functionNames(text: string): string[] {
  return [...text.matchAll(/resourceArn: (\S+)/g)].map((match) => parseFunctionArn(match[1] as string)?.functionName ?? `not an ARN: ${match[1]}`);
}

describe('parity/s.yaml and parity/flows', () => {
  const files = readdirSync(PARITY_FLOWS).filter((file) => file.endsWith('.yaml')).sort();

  it('declare one flow per file, named as its definition says, and load without a warning', () => {
    expect(sYaml.flows.map((flow) => flow.definitionFile).sort()).toEqual(files);
    for (const declared of sYaml.flows) {
      const flow: Flow = loadFlow(readFileSync(join(PARITY_FLOWS, declared.definitionFile as string), 'utf8'), { expectedName: declared.name });
      expect(flow.warnings, declared.name).toEqual([]);
      expect(declared.name).toMatch(/^riflow-parity-/);
    }
  });

  it('declare exactly the functions the flows call, all riflow-parity-*, with no role', () => {
    const called = new Set(files.flatMap((file) => functionNames(readFileSync(join(PARITY_FLOWS, file), 'utf8'))));
    const declared = sYaml.functions.map((fn) => fn.functionName).sort();
    expect([...called].sort()).toEqual(declared);
    expect(declared).toEqual(['riflow-parity-echo', 'riflow-parity-sleep', 'riflow-parity-throw']);
    const resources = (parse(readFileSync(PARITY_S_YAML, 'utf8')) as { resources: Record<string, { props: Record<string, unknown> }> }).resources;
    for (const resource of Object.values(resources)) expect(resource.props.role).toBeUndefined();
    expect(sYaml.functionConfig('riflow-parity-sleep', {})?.timeoutSeconds).toBe(1);
  });

  it('let the probes\' CloudFlow role invoke those functions and nothing else', () => {
    const policy = JSON.parse(readFileSync(join(ROOT, 'deploy', 'ram', 'riflow-parity-flows.policy.json'), 'utf8')) as { Statement: Array<{ Action: string[]; Resource: string[] }> };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Action).toEqual(['fc:InvokeFunction']);
    expect(policy.Statement[0]?.Resource.sort()).toEqual(sYaml.functions.map((fn) => `acs:fc:*:*:functions/${fn.functionName}`).sort());
    const trust = JSON.parse(readFileSync(join(ROOT, 'deploy', 'ram', 'riflow-parity-flows.trust.json'), 'utf8')) as { Statement: Array<{ Principal: { Service: string[] } }> };
    expect(trust.Statement[0]?.Principal.Service).toEqual(['fnf.aliyuncs.com']);
  });

  it('throw the error the cases expect', () => {
    const source = readFileSync(join(ROOT, 'parity', 'functions', 'throw', 'index.js'), 'utf8');
    expect(source).toContain(`class ${PROBE_ERROR.className} extends Error`);
    expect(source).toContain(`this.name = '${PROBE_ERROR.nameProperty}'`);
    expect(source).toContain(`'${PROBE_ERROR.message}'`);
  });
});

describe('the cases', () => {
  it('have unique ids and settle settings the policy file has', () => {
    expect(new Set(PARITY_CASES.map((parityCase) => parityCase.id)).size).toBe(PARITY_CASES.length);
    for (const parityCase of PARITY_CASES) {
      for (const rule of parityCase.settles) expect(findSetting(rule.setting), `${parityCase.id}: ${rule.setting}`).toBeDefined();
    }
  });
});
