import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy, type DeployCommand } from '../../src/deploy/deploy';
import { renderedWorkflowsDir, renderWorkflow, renderWorkflows } from '../../src/deploy/render-workflows';
import { DeploySettingsError, readDeploySettings } from '../../src/deploy/settings';
import { deployEnvironment, ROOT } from './preview';

const ACCOUNT = '1000000000000077';

function problemsOf(env: Record<string, string | undefined>): Array<{ variable: string; rule: string }> {
  try {
    readDeploySettings(env);
    return [];
  } catch (error) {
    if (!(error instanceof DeploySettingsError)) throw error;
    return error.problems.map(({ variable, rule }) => ({ variable, rule }));
  }
}

describe('readDeploySettings', () => {
  it('takes a 16-digit account id and a region the flow component accepts (cn-hangzhou when unset)', () => {
    expect(readDeploySettings({ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT })).toEqual({ accountId: ACCOUNT, region: 'cn-hangzhou' });
    expect(readDeploySettings({ ALIBABA_CLOUD_ACCOUNT_ID: ` ${ACCOUNT} `, RIFLOW_REGION: 'ap-southeast-1' })).toEqual({ accountId: ACCOUNT, region: 'ap-southeast-1' });
  });

  it.each([
    [{}, 'ALIBABA_CLOUD_ACCOUNT_ID', 'required'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: '  ' }, 'ALIBABA_CLOUD_ACCOUNT_ID', 'required'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: '123456789012345' }, 'ALIBABA_CLOUD_ACCOUNT_ID', 'format'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: 'LTAI5tExampleKeyId' }, 'ALIBABA_CLOUD_ACCOUNT_ID', 'format'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_REGION: 'eu-central-1' }, 'RIFLOW_REGION', 'flow-region'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_VPC_ENDPOINT: 'vpc.{regionId}.aliyuncs.com' }, 'RIFLOW_VPC_ENDPOINT', 'endpoint'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_VPC_ENDPOINT: 'https://vpc.{region}.aliyuncs.com' }, 'RIFLOW_VPC_ENDPOINT', 'endpoint'],
    [{ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_FLOW_ENDPOINT: 'ftp://{regionId}.fnf.aliyuncs.com' }, 'RIFLOW_FLOW_ENDPOINT', 'endpoint'],
  ])('refuses %j, naming %s and the rule %s', (env, variable, rule) => {
    expect(problemsOf(env)).toEqual([{ variable, rule }]);
  });

  it('names every problem at once, and the flow component\'s regions for a wrong region', () => {
    try {
      readDeploySettings({ RIFLOW_REGION: 'eu-central-1' });
      expect.unreachable();
    } catch (error) {
      expect((error as DeploySettingsError).problems.map((problem) => problem.variable)).toEqual(['ALIBABA_CLOUD_ACCOUNT_ID', 'RIFLOW_REGION']);
      expect((error as Error).message).toContain('cn-beijing, cn-hangzhou, cn-shanghai, cn-qingdao, cn-shenzhen, ap-southeast-1, us-west-1, cn-heyuan-acdr-1');
    }
  });

  it('accepts the endpoint overrides it documents', () => {
    expect(problemsOf({ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_VPC_ENDPOINT: 'https://vpc-vpc.{regionId}.aliyuncs.com', RIFLOW_FLOW_ENDPOINT: 'http://127.0.0.1:8787' })).toEqual([]);
  });
});

describe('renderWorkflows', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function project(extra: Record<string, string> = {}): string {
    root = mkdtempSync(join(tmpdir(), 'riflow-render-'));
    cpSync(join(ROOT, 'workflows'), join(root, 'workflows'), { recursive: true });
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(root, 'workflows', file), text);
    return root;
  }

  it('fills in region and account for one folder per account and region', () => {
    const dir = project();
    const folder = renderWorkflows(dir, { accountId: ACCOUNT, region: 'cn-shanghai' });
    expect(folder).toBe(renderedWorkflowsDir(dir, { accountId: ACCOUNT, region: 'cn-shanghai' }));
    expect(readdirSync(folder).sort()).toEqual(readdirSync(join(ROOT, 'workflows')).filter((file) => file.endsWith('.yaml')).sort());
    const text = readFileSync(join(folder, 'modify-spec.yaml'), 'utf8');
    expect(text).toContain(`acs:fc:cn-shanghai:${ACCOUNT}:functions/riflow-modify-spec/LATEST`);
    expect(text).not.toContain('{{');
  });

  it('refuses an unknown placeholder naming file and line, and writes nothing', () => {
    const dir = project({ 'zz-broken.yaml': 'Type: StateMachine\n# {{acountId}}\n' });
    expect(() => renderWorkflows(dir, { accountId: ACCOUNT, region: 'cn-hangzhou' })).toThrowError('workflows/zz-broken.yaml:2: unknown placeholder {{acountId}}');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('renders a single text', () => {
    expect(renderWorkflow('arn: acs:fc:{{region}}:{{accountId}}:functions/x', { accountId: ACCOUNT, region: 'us-west-1' }, 'x')).toBe(`arn: acs:fc:us-west-1:${ACCOUNT}:functions/x`);
  });
});

describe('deploy', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function setUp(exitCodes: number[] = [0, 0]) {
    root = mkdtempSync(join(tmpdir(), 'riflow-deploy-'));
    cpSync(join(ROOT, 'workflows'), join(root, 'workflows'), { recursive: true });
    const commands: DeployCommand[] = [];
    const run = async (command: DeployCommand) => {
      commands.push(command);
      return exitCodes[commands.length - 1] ?? 0;
    };
    return { root, commands, run, log: () => undefined };
  }

  it('stops before building, rendering or deploying anything when the account id is unset', async () => {
    const { root, commands, run, log } = setUp();
    await expect(deploy({ root, env: { RIFLOW_REGION: 'cn-hangzhou' }, run, log })).rejects.toBeInstanceOf(DeploySettingsError);
    expect(commands).toEqual([]);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('builds, renders for the checked account and region, then runs s deploy with exactly those values', async () => {
    const { root, commands, run, log } = setUp();
    await expect(deploy({ root, env: { ALIBABA_CLOUD_ACCOUNT_ID: ` ${ACCOUNT}`, PATH: '/bin' }, run, log })).resolves.toBe(0);
    expect(commands.map((command) => [command.command.split('/').pop(), ...command.args.map((arg) => arg.replace(root, '<root>'))])).toEqual([
      [process.execPath.split('/').pop(), '<root>/scripts/build.mjs'],
      ['s', 'deploy', '-y', '-t', '<root>/s.yaml'],
    ]);
    for (const command of commands) expect(command.env).toMatchObject({ ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT, RIFLOW_REGION: 'cn-hangzhou', PATH: '/bin' });
    expect(existsSync(join(renderedWorkflowsDir(root, { accountId: ACCOUNT, region: 'cn-hangzhou' }), 'deactivate.yaml'))).toBe(true);
  });

  it('neither renders nor deploys after a failed build', async () => {
    const { root, commands, run, log } = setUp([2]);
    await expect(deploy({ root, env: { ALIBABA_CLOUD_ACCOUNT_ID: ACCOUNT }, run, log })).resolves.toBe(2);
    expect(commands).toHaveLength(1);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});

describe('npm run deploy (scripts/deploy.ts) without an account id', () => {
  it('exits 1 naming ALIBABA_CLOUD_ACCOUNT_ID and leaves the build output as it was', () => {
    // dist/workflows is left out: other test files render their own test accounts there meanwhile.
    const snapshot = () =>
      readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).startsWith(join(ROOT, 'dist', 'workflows')))
        .map((entry) => `${join(entry.parentPath, entry.name)}@${statSync(join(entry.parentPath, entry.name)).mtimeMs}`)
        .sort();
    const before = snapshot();
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'deploy.ts')], {
      cwd: tmpdir(),
      env: deployEnvironment({ RIFLOW_REGION: 'cn-hangzhou' }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('stopped before building, rendering or deploying anything');
    expect(result.stderr).toContain('ALIBABA_CLOUD_ACCOUNT_ID is not set');
    expect(snapshot()).toEqual(before);
  }, 30_000);
});
