/** The one s.yaml reader: which components count, what is read as written, and what is resolved locally. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlowComponent, isFunctionComponent, SYaml, SYamlError } from '../../src/serverless/s-yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE = '/project';

function sYaml(text: string): SYaml {
  return new SYaml(text, { baseDir: BASE, path: 's.yaml' });
}

function thrown(run: () => unknown): SYamlError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SYamlError);
    return error as SYamlError;
  }
  throw new Error('expected an SYamlError');
}

describe('components', () => {
  it.each(['fc3', 'fc3@0.1.22', 'fc3@dev'])('%s deploys a function', (component) => {
    expect(isFunctionComponent(component)).toBe(true);
    expect(isFlowComponent(component)).toBe(false);
  });

  it.each(['flow', 'flow@0.0.4', 'fnf', 'fnf@0.0.23'])('%s deploys a flow', (component) => {
    expect(isFlowComponent(component)).toBe(true);
    expect(isFunctionComponent(component)).toBe(false);
  });

  it.each(['fc', 'fc3x', 'devsapp/fc3', 'flows', 'fnf-x', undefined, 3])('%s deploys neither', (component) => {
    expect(isFunctionComponent(component)).toBe(false);
    expect(isFlowComponent(component)).toBe(false);
  });

  it('lists the functions and flows of every matching resource, values as written', () => {
    const read = sYaml(
      [
        'resources:',
        '  pinned:',
        '    component: fc3@0.1.22',
        '    props: {functionName: riflow-pinned, code: ./dist/functions/pinned}',
        '  templated:',
        '    component: fc3',
        "    props: {functionName: '${vars.name}', code: {src: ./x}}",
        '  legacy-flow:',
        '    component: fnf',
        '    props: {name: old-flow}',
        '  flow:',
        '    component: flow@0.0.4',
        "    props: {name: riflow-x, definition: '${path(\"./dist/workflows/\" + vars.accountId)}/x.yaml'}",
        '  other:',
        '    component: fc',
        '    props: {functionName: not-fc3}',
      ].join('\n'),
    );
    expect(read.functions).toEqual([
      { resource: 'pinned', functionName: 'riflow-pinned', code: './dist/functions/pinned' },
      { resource: 'templated', functionName: '${vars.name}' },
    ]);
    expect(read.flows).toEqual([
      { resource: 'legacy-flow', name: 'old-flow' },
      { resource: 'flow', name: 'riflow-x', definition: '${path("./dist/workflows/" + vars.accountId)}/x.yaml', definitionFile: 'x.yaml' },
    ]);
    expect(read.flowForWorkflow('workflows/x.yaml')?.name).toBe('riflow-x');
    expect(read.declaredFunction('not-fc3')).toBeUndefined();
  });

  it("reads riflow's own s.yaml without any environment", () => {
    const read = SYaml.readFile(join(ROOT, 's.yaml'));
    expect(read.functions.map((fn) => fn.functionName)).toContain('riflow-describe');
    expect(read.flowForWorkflow('workflows/connect-and-modify-spec.yaml')?.name).toBe('riflow-connect-and-modify-spec');
  });
});

describe('functionConfig', () => {
  const text = [
    'vars:',
    '  region: ${env("REGION", "cn-shanghai")}',
    '  publicEndpoint: https://vpc.{regionId}.aliyuncs.com',
    "  endpoint: ${env('ENDPOINT', vars.publicEndpoint)}",
    'resources:',
    '  echo:',
    '    component: fc3@0.1.22',
    '    props:',
    '      region: ${vars.region}',
    '      functionName: riflow-${env(SUFFIX, "echo")}',
    "      code: ${path('./code/echo')}",
    '      timeout: 30',
    '      environmentVariables:',
    '        ENDPOINT: ${vars.endpoint}',
    '        COUNT: 3',
    '  remote:',
    '    component: fc3',
    '    props:',
    '      functionName: riflow-remote',
    '      code: ${resources.echo.output.codeDir}',
  ].join('\n');

  it('resolves vars, env with a literal or a vars default, and path(), from the given environment only', () => {
    expect(sYaml(text).functionConfig('riflow-echo', {})).toEqual({
      resourceKey: 'echo',
      functionName: 'riflow-echo',
      codeDir: '/project/code/echo',
      handler: 'index.handler',
      timeoutSeconds: 30,
      memorySize: 128,
      environmentVariables: { ENDPOINT: 'https://vpc.{regionId}.aliyuncs.com', COUNT: '3' },
      region: 'cn-shanghai',
    });
    const overridden = sYaml(text).functionConfig('riflow-x', { SUFFIX: 'x', REGION: 'cn-beijing', ENDPOINT: 'http://127.0.0.1:1' });
    expect(overridden).toMatchObject({ region: 'cn-beijing', environmentVariables: { ENDPOINT: 'http://127.0.0.1:1' } });
    expect(sYaml(text).functionConfig('riflow-nope', {})).toBeUndefined();
  });

  it('refuses a variable it cannot resolve locally, naming the field', () => {
    expect(thrown(() => sYaml(text).functionConfig('riflow-remote', {})).message).toBe(
      "resources.remote.props.code: cannot resolve ${resources.echo.output.codeDir} locally (only ${vars.x}, ${env('X', 'default')} and ${path('./x')} are supported)",
    );
    const unset = sYaml("resources:\n  f:\n    component: fc3\n    props: {functionName: '${env(\"NAME\")}'}\n");
    expect(thrown(() => unset.functionConfig('x', {})).message).toBe('resources.f.props.functionName: environment variable NAME is not set and ${env("NAME")} has no default');
  });
});

describe('broken files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'riflow-s-yaml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the line where it broke, and refuses a file that is not a mapping', () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'resources:\n  a: [1, 2\n');
    expect(thrown(() => SYaml.readFile(broken)).message).toMatch(new RegExp(`^cannot read ${broken}: .*at line \\d+, column \\d+`));
    expect(thrown(() => SYaml.readFile(join(dir, 'missing.yaml'))).message).toMatch(/^cannot read .*missing\.yaml: ENOENT/);
    expect(thrown(() => sYaml('- a list\n')).message).toBe('s.yaml must be a mapping (edition, vars, resources, …)');
  });
});
