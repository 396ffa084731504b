import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_FLOW_ENDPOINT } from '../../src/cloudflow/start-handler';
import { renderedWorkflowsDir, renderWorkflows } from '../../src/deploy/render-workflows';
import { DEFAULT_DEPLOY_REGION, FLOW_COMPONENT_REGIONS } from '../../src/deploy/settings';
import { parseFunctionArn } from '../../src/local-fc/function-arn';
import { loadFlowFile } from '../../src/flow/loader';
import { isBandwidthSpec } from '../../src/vpc-api/specs';
import { DEFAULT_VPC_ENDPOINT } from '../../src/vpc/endpoint';
import { previewSYaml, ROOT, type Rendered, type Resource } from './preview';

// An account of this test file only: the rendered copies go to dist/workflows/<account>/<region>/.
const ACCOUNT = '1000000000000042';
const OTHER_ACCOUNT = '1000000000000043';
const settings = { accountId: ACCOUNT, region: DEFAULT_DEPLOY_REGION };

/** Every `resourceArn` in a definition, nested Parallel branches and Map processors included. */
function resourceArns(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(resourceArns);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'resourceArn' ? [String(value)] : resourceArns(value)));
}

interface Trigger {
  triggerName: string;
  triggerType: string;
  triggerConfig: Record<string, unknown>;
}

let rendered: Rendered;
let validateProps: ValidateFunction;
const functions = () => Object.values(rendered.resources).filter((r) => r.component === 'fc3');
const flows = () => Object.values(rendered.resources).filter((r) => r.component === 'flow');
const fn = (name: string) => functions().find((resource) => resource.props.functionName === name) as Resource;
const triggersOf = (name: string) => (fn(name).props.triggers ?? []) as Trigger[];
const policy = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, 'deploy', 'ram', `${name}.policy.json`), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string[]; Resource: string | string[] }>;
  };
const resources = (statement: { Resource: string | string[] } | undefined) => [statement?.Resource ?? []].flat();

/** The props of every fc3 resource that break the fc3 rules, as `resource: path message`. */
function schemaErrors(doc: Rendered): string[] {
  return Object.entries(doc.resources).flatMap(([key, resource]) => {
    if (resource.component !== 'fc3' || validateProps(resource.props)) return [];
    return (validateProps.errors ?? []).map((error) => `${key}: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  });
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

beforeAll(() => {
  renderWorkflows(ROOT, settings);
  const preview = previewSYaml({ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT });
  if (!preview.ok) throw new Error(`s preview failed:\n${preview.output}`);
  rendered = preview.rendered;
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'fc3-props.schema.json'), 'utf8')) as object;
  validateProps = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false }).compile(schema);
}, 60_000);

describe('s.yaml, as Serverless Devs renders it from another working directory', () => {
  it('is edition 3 with a nodejs20 fc3 function per handler folder, each with logConfig', () => {
    expect(rendered.edition).toBe('3.0.0');
    const folders = readdirSync(join(ROOT, 'functions')).sort();
    const codes = functions().map((resource) => String(resource.props.code).replace('./dist/functions/', '')).sort();
    expect(codes).toEqual(folders);
    for (const resource of functions()) {
      expect(resource.props.runtime).toBe('nodejs20');
      expect(resource.props.handler).toBe('index.handler');
      // fc3 resets every unset setting on each deploy: logging set up in the console would be wiped.
      expect(resource.props.logConfig, String(resource.props.functionName)).toBe('auto');
    }
  });

  it('points every function at a built bundle that exports its handler', () => {
    for (const resource of functions()) {
      const file = join(ROOT, String(resource.props.code), 'index.js');
      expect(existsSync(file), file).toBe(true);
      const loaded = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(file)}).handler)`], { encoding: 'utf8' });
      expect(loaded).toBe('function');
    }
  });

  it('deploys every workflow from its copy rendered for this account and region, by absolute path', async () => {
    const workflowFiles = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.yaml')).sort();
    const folder = renderedWorkflowsDir(ROOT, settings);
    expect(flows().map((flow) => String(flow.props.definition)).sort()).toEqual(workflowFiles.map((file) => join(folder, file)));
    const functionNames = new Set(functions().map((resource) => String(resource.props.functionName)));
    for (const flowResource of flows()) {
      const file = String(flowResource.props.definition);
      const flow = await loadFlowFile(file, { expectedName: String(flowResource.props.name) });
      const arns = resourceArns(parse(readFileSync(file, 'utf8')));
      expect(arns.length).toBeGreaterThan(0);
      for (const text of arns) {
        const arn = parseFunctionArn(text);
        expect(arn && functionNames.has(arn.functionName), `${flow.name}: ${text}`).toBe(true);
        expect(arn).toMatchObject({ accountId: ACCOUNT, region: DEFAULT_DEPLOY_REGION });
      }
    }
  });

  it('puts roles and function ARNs in one account, the one ALIBABA_CLOUD_ACCOUNT_ID names', () => {
    const roles = [...functions().map((resource) => resource.props.role), ...flows().map((flow) => flow.props.roleArn)].map(String);
    expect(new Set(roles.map((role) => role.split(':')[3]))).toEqual(new Set([ACCOUNT]));
    expect(fn('riflow-connect').props.role).toBe(`acs:ram::${ACCOUNT}:role/riflow-functions`);
    expect(fn('riflow-start').props.role).toBe(`acs:ram::${ACCOUNT}:role/riflow-start`);
    for (const flow of flows()) expect(flow.props.roleArn).toBe(`acs:ram::${ACCOUNT}:role/riflow-flows`);
  });

  it('deploys to RIFLOW_REGION, whose default is the deploy check\'s, in a region the flow component accepts', () => {
    for (const resource of Object.values(rendered.resources)) expect(resource.props.region).toBe(DEFAULT_DEPLOY_REGION);
    expect(FLOW_COMPONENT_REGIONS).toContain(DEFAULT_DEPLOY_REGION);
  });

  it('hands the functions the regional endpoint templates the code would use anyway', () => {
    for (const resource of functions()) {
      expect((resource.props.environmentVariables as Record<string, string>).RIFLOW_VPC_ENDPOINT).toBe(DEFAULT_VPC_ENDPOINT);
    }
    expect((fn('riflow-start').props.environmentVariables as Record<string, string>).RIFLOW_FLOW_ENDPOINT).toBe(DEFAULT_FLOW_ENDPOINT);
  });

  it('bounds the alert-driven spec steps with two valid specs, smallest first', () => {
    const variables = fn('riflow-start').props.environmentVariables as Record<string, string>;
    expect(isBandwidthSpec(variables.RIFLOW_ALERT_MIN_SPEC)).toBe(true);
    expect(isBandwidthSpec(variables.RIFLOW_ALERT_MAX_SPEC)).toBe(true);
  });
});

describe('an unset or wrong account id cannot slip through s.yaml', () => {
  it('stops s preview (and so s deploy, which renders s.yaml the same way) when ALIBABA_CLOUD_ACCOUNT_ID is unset', () => {
    const preview = previewSYaml({});
    expect(preview.ok).toBe(false);
    expect(preview.ok ? '' : preview.output).toContain("env('ALIBABA_CLOUD_ACCOUNT_ID') not found");
  });

  it('finds no workflows to deploy for an account they were not rendered for', () => {
    const preview = previewSYaml({ ALIBABA_CLOUD_ACCOUNT_ID: OTHER_ACCOUNT });
    expect(preview.ok).toBe(false);
    expect(preview.ok ? '' : preview.output).toContain('path value not found');
  });
});

describe('s.yaml against the fc3 component\'s rules (test/deploy/fc3-props.schema.json)', () => {
  it('passes them for every fc3 resource', () => {
    expect(schemaErrors(rendered)).toEqual([]);
  });

  it.each<[string, (doc: Rendered) => void, RegExp]>([
    ['a misspelt trigger field', (doc) => ((startOf(doc).triggers as Trigger[])[0] as Trigger).triggerConfig.cronExpresion = '0 0 1 * * *', /start: \/triggers\/0\/triggerConfig must NOT have additional properties .*cronExpresion/],
    ['a missing required trigger field', (doc) => delete (startOf(doc).triggers as Trigger[])[0]?.triggerConfig.enable, /start: \/triggers\/0\/triggerConfig must have required property 'enable'/],
    ['eventSourceParameters dropped', (doc) => delete (queueTrigger(doc).triggerConfig.eventSourceConfig as Record<string, unknown>).eventSourceParameters, /must have required property 'eventSourceParameters'/],
    ['an FC 2.0 deliveryOption.mode', (doc) => ((queueTrigger(doc).triggerConfig.eventSinkConfig as { deliveryOption: Record<string, unknown> }).deliveryOption.mode = 'event-driven'), /deliveryOption must NOT have additional properties .*"mode"/],
    ['a retry strategy on the Default bus', (doc) => ((queueTrigger(doc).triggerConfig.eventSourceConfig as Record<string, unknown>).eventSourceType = 'Default'), /runOptions must NOT be valid/],
    ['a memory size off the 64 MB grid', (doc) => (startOf(doc).memorySize = 100), /start: \/memorySize must be multiple of 64/],
    ['an unknown runtime', (doc) => (startOf(doc).runtime = 'nodejs21'), /start: \/runtime must be equal to one of the allowed values/],
    ['a string timeout', (doc) => (startOf(doc).timeout = '30'), /start: \/timeout must be integer/],
    ['an unknown prop', (doc) => (startOf(doc).logconfig = 'auto'), /start: \/ must NOT have additional properties .*logconfig/],
  ])('fails them for %s', (_name, breakIt, expected) => {
    const broken = copy(rendered);
    breakIt(broken);
    expect(schemaErrors(broken).join('\n')).toMatch(expected);
  });

  it('keeps the eventbridge trigger last: fc3 stops deploying triggers after an unchanged eventbridge trigger', () => {
    // devsapp/fc3 src/subCommands/deploy/impl/trigger.ts run(): `if (!checkUpdateEBTrigger(...)) return` inside the loop.
    const triggers = triggersOf('riflow-start');
    expect(triggers.map((trigger) => trigger.triggerType)).toEqual(['timer', 'timer', 'eventbridge']);
    for (const trigger of triggers) {
      if (trigger.triggerType === 'timer') {
        expect(String(trigger.triggerConfig.cronExpression).split(' ')).toHaveLength(6);
        // The nightly downgrade and morning upgrade: the fleet workflow, by a tag selector (README "The fleet recipe").
        expect(JSON.parse(String(trigger.triggerConfig.payload))).toMatchObject({ flow: 'riflow-fleet-modify-spec', select: { tag: { key: 'riflow-fleet' } } });
      } else {
        expect(JSON.parse(String(trigger.triggerConfig.eventRuleFilterPattern))).toEqual({});
      }
    }
  });

  it('reads the request queue, in the deployment region, one message per invocation', () => {
    expect(queueTrigger(rendered).triggerConfig).toMatchObject({
      eventSourceConfig: { eventSourceType: 'MNS', eventSourceParameters: { sourceMNSParameters: { QueueName: 'riflow-requests', RegionId: DEFAULT_DEPLOY_REGION } } },
      runOptions: { mode: 'event-driven' },
    });
  });
});

describe('the RAM policies (deploy/ram)', () => {
  it('grant each role only what it needs, in the documented resource forms', () => {
    const allowed = (name: string) => policy(name).Statement.flatMap((statement) => (statement.Effect === 'Allow' ? statement.Action : []));
    expect(new Set(allowed('riflow-functions'))).toEqual(
      new Set(['vpc:ConnectRouterInterface', 'vpc:ActivateRouterInterface', 'vpc:DeactivateRouterInterface', 'vpc:ModifyRouterInterfaceSpec', 'vpc:DescribeRouterInterfaces']),
    );
    expect(allowed('riflow-start')).toEqual(['fnf:StartExecution', 'vpc:DescribeRouterInterfaces']);
    expect(allowed('riflow-flows')).toEqual(['fc:InvokeFunction', 'fnf:StartExecution', 'fnf:StopExecution', 'fnf:DescribeExecution']);
    // The fleet flow's distributed Map starts and stops its sub-executions with the flow's role (README says why).
    expect(resources(policy('riflow-flows').Statement[1])).toEqual(['acs:fnf:*:*:flows/riflow-fleet-modify-spec/executions/*']);
    // CloudFlow's execution-role guide: fnf:StartExecution on acs:fnf:*:*:flows/<name>/executions/*.
    expect(resources(policy('riflow-start').Statement[0]).sort()).toEqual(flows().map((flow) => `acs:fnf:*:*:flows/${String(flow.props.name)}/executions/*`).sort());
    expect(resources(policy('riflow-start').Statement[1])).toEqual(['acs:vpc:*:*:routerinterface/*']);
    // FC 3.0 function ARNs: the action functions and the fleet's only (never riflow-start, never every function).
    const actionFunctions = functions().map((resource) => String(resource.props.functionName)).filter((name) => name !== 'riflow-start');
    expect(resources(policy('riflow-flows').Statement[0]).sort()).toEqual(actionFunctions.map((name) => `acs:fc:*:*:functions/${name}`).sort());
  });

  it('let the right service assume each role', () => {
    const principal = (name: string) =>
      (JSON.parse(readFileSync(join(ROOT, 'deploy', 'ram', `${name}.trust.json`), 'utf8')) as { Statement: Array<{ Principal: { Service: string[] } }> }).Statement[0]?.Principal.Service;
    expect(principal('riflow-functions')).toEqual(['fc.aliyuncs.com']);
    expect(principal('riflow-start')).toEqual(['fc.aliyuncs.com']);
    expect(principal('riflow-flows')).toEqual(['fnf.aliyuncs.com']);
  });
});

function startOf(doc: Rendered): Record<string, unknown> {
  return (doc.resources.start as Resource).props;
}

function queueTrigger(doc: Rendered): Trigger {
  return (startOf(doc).triggers as Trigger[]).find((trigger) => trigger.triggerType === 'eventbridge') as Trigger;
}
