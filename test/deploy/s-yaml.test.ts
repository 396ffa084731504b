import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFunctionArn } from '../../src/flow/fc-arn';
import { loadFlowFile } from '../../src/flow/loader';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');

interface Resource {
  component: string;
  props: Record<string, unknown>;
}
interface Rendered {
  edition: string;
  resources: Record<string, Resource>;
}

/** Every `resourceArn` in a definition, nested Parallel branches and Map processors included. */
function resourceArns(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(resourceArns);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'resourceArn' ? [String(value)] : resourceArns(value)));
}

let rendered: Rendered;
const functions = () => Object.values(rendered.resources).filter((r) => r.component === 'fc3');
const flows = () => Object.values(rendered.resources).filter((r) => r.component === 'flow');
const policy = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, 'deploy', 'ram', `${name}.policy.json`), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string[]; Resource: string | string[] }>;
  };

beforeAll(() => {
  // Serverless Devs renders s.yaml offline; its first line may be a warning about running as root.
  const out = execFileSync(join(ROOT, 'node_modules', '.bin', 's'), ['preview', '-o', 'raw'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  rendered = JSON.parse(out.slice(out.indexOf('{'))) as Rendered;
}, 60_000);

describe('s.yaml, as Serverless Devs renders it', () => {
  it('is edition 3 with a nodejs20 fc3 function per handler folder', () => {
    expect(rendered.edition).toBe('3.0.0');
    const folders = readdirSync(join(ROOT, 'functions')).sort();
    const codes = functions().map((fn) => String(fn.props.code).replace('./dist/functions/', '')).sort();
    expect(codes).toEqual(folders);
    for (const fn of functions()) {
      expect(fn.props.runtime).toBe('nodejs20');
      expect(fn.props.handler).toBe('index.handler');
      expect(Number(fn.props.timeout)).toBeGreaterThan(0);
      expect(Number(fn.props.memorySize) % 64).toBe(0);
    }
  });

  it('points every function at a built bundle that exports its handler', () => {
    for (const fn of functions()) {
      const file = join(ROOT, String(fn.props.code), 'index.js');
      expect(existsSync(file), file).toBe(true);
      const loaded = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(file)}).handler)`], { encoding: 'utf8' });
      expect(loaded).toBe('function');
    }
  });

  it('deploys every workflow as a flow of the same name, whose functions all exist in s.yaml', async () => {
    const workflowFiles = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.yaml')).sort();
    expect(flows().map((flow) => String(flow.props.definition).split('/').pop()).sort()).toEqual(workflowFiles);
    const functionNames = new Set(functions().map((fn) => String(fn.props.functionName)));
    for (const flowResource of flows()) {
      const file = join(ROOT, 'workflows', String(flowResource.props.definition).split('/').pop() as string);
      const flow = await loadFlowFile(file, { expectedName: String(flowResource.props.name) });
      const arns = resourceArns(parse(readFileSync(file, 'utf8')));
      expect(arns.length).toBeGreaterThan(0);
      for (const text of arns) {
        const arn = parseFunctionArn(text);
        expect(arn && functionNames.has(arn.functionName), `${flow.name}: ${text}`).toBe(true);
      }
    }
  });

  it('gives functions, the start function and the flows their own roles', () => {
    const roleOf = (name: string) => functions().find((fn) => fn.props.functionName === name)?.props.role;
    expect(roleOf('riflow-connect')).toMatch(/:role\/riflow-functions$/);
    expect(roleOf('riflow-start')).toMatch(/:role\/riflow-start$/);
    for (const flow of flows()) expect(flow.props.roleArn).toMatch(/:role\/riflow-flows$/);
  });

  it('grants each role only what it needs', () => {
    const allowed = (name: string) => policy(name).Statement.flatMap((statement) => (statement.Effect === 'Allow' ? statement.Action : []));
    expect(new Set(allowed('riflow-functions'))).toEqual(
      new Set(['vpc:ConnectRouterInterface', 'vpc:ActivateRouterInterface', 'vpc:DeactivateRouterInterface', 'vpc:ModifyRouterInterfaceSpec', 'vpc:DescribeRouterInterfaces']),
    );
    expect(allowed('riflow-start')).toEqual(['fnf:StartExecution']);
    expect(allowed('riflow-flows')).toEqual(['fc:InvokeFunction']);
    // The flow role may invoke the action functions only (never riflow-start, never every function).
    const invokable = [policy('riflow-flows').Statement[0]?.Resource].flat().map(String);
    expect(invokable.every((arn) => /functions\/riflow-(connect|activate|deactivate|modify-spec|describe)(\/\*)?$/.test(arn))).toBe(true);
    const startable = [policy('riflow-start').Statement[0]?.Resource].flat().map(String);
    expect(startable.sort()).toEqual(flows().map((flow) => `acs:fnf:*:*:flow/${String(flow.props.name)}`).sort());
  });

  it('wires the scheduled and event-driven triggers to the start function with valid payloads', () => {
    const start = functions().find((fn) => fn.props.functionName === 'riflow-start');
    const triggers = (start?.props.triggers ?? []) as Array<{ triggerType: string; triggerConfig: Record<string, unknown> }>;
    expect(triggers.map((t) => t.triggerType).sort()).toEqual(['eventbridge', 'timer', 'timer']);
    for (const timer of triggers.filter((t) => t.triggerType === 'timer')) {
      expect(String(timer.triggerConfig.cronExpression).split(' ')).toHaveLength(6);
      expect(JSON.parse(String(timer.triggerConfig.payload))).toMatchObject({ flow: 'riflow-batch-modify-spec' });
    }
  });
});
