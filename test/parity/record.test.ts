/**
 * Recording's guarantees: the probes are removed whatever happens (a failing case, a failed deploy, an error that
 * is no probe's), a case that cannot run is skipped rather than recorded, the wrong-status probe touches nothing
 * but the test pair it is given and never an interface its action would change, and the Serverless Devs deployer
 * deploys and removes parity/s.yaml with the flows rendered for the account and region.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeployCommand } from '../../src/deploy/deploy';
import { DEMO_INITIATOR_ID } from '../../src/emulator/index';
import type { ParityCase } from '../../src/parity/case';
import { vpcUnknownRegion, vpcWrongStatus } from '../../src/parity/cases/api-errors';
import { flowTaskError } from '../../src/parity/cases/flows';
import { fcErrorType } from '../../src/parity/cases/functions';
import { serverlessDevsDeployer } from '../../src/parity/deploy';
import { record } from '../../src/parity/record';
import { fakeDeployer, ROOT, scratch, startFakeCloud } from './helpers';

const work = scratch();
afterAll(() => work.remove());

const options = { region: 'cn-hangzhou', date: '2026-12-01', mask: {} };

describe('riflow parity --record removes what it deployed', () => {
  it('after cases that fail (the probes are not on the account), recording what it can', async () => {
    const cloud = await startFakeCloud({ faces: false });
    try {
      const fake = fakeDeployer();
      const snapshotsDir = join(work.dir, 'failing');
      const result = await record({ ...options, cases: [flowTaskError, fcErrorType, vpcUnknownRegion], context: cloud.context, deployer: fake.deployer, snapshotsDir });
      expect(fake.steps).toEqual(['deploy', 'remove']);
      expect(result.cases).toEqual([
        { id: 'flow.task-error', outcome: 'failed', reason: expect.stringContaining('StartExecution answered HTTP 404') },
        { id: 'fc.error-type', outcome: 'failed', reason: expect.stringContaining('riflow-parity-throw: Function Compute answered HTTP 404') },
        { id: 'vpc.unknown-region', outcome: 'recorded', file: join(snapshotsDir, 'vpc.unknown-region.json') },
      ]);
      expect(readdirSync(snapshotsDir)).toEqual(['vpc.unknown-region.json']);
    } finally {
      await cloud.stop();
    }
  });

  it('after a failed deploy, running no case', async () => {
    const fake = fakeDeployer({ failDeploy: true });
    let ran = false;
    const spy: ParityCase = { ...vpcUnknownRegion, run: async () => ((ran = true), {}) };
    const cloud = await startFakeCloud({ faces: false });
    try {
      const result = await record({ ...options, cases: [spy], context: cloud.context, deployer: fake.deployer, snapshotsDir: join(work.dir, 'deploy-failed') });
      expect(fake.steps).toEqual(['deploy', 'remove']);
      expect(result).toEqual({ cases: [], deployError: 's deploy exited with 1' });
      expect(ran).toBe(false);
    } finally {
      await cloud.stop();
    }
  });

  it('after an error that is no probe\'s, and says so when the removal itself fails', async () => {
    const steps: string[] = [];
    const broken: ParityCase = { ...vpcUnknownRegion, id: 'vpc.unknown-region', run: () => Promise.reject(new TypeError('boom')) };
    const cloud = await startFakeCloud({ faces: false });
    try {
      const result = await record({
        ...options,
        cases: [broken],
        context: cloud.context,
        snapshotsDir: join(work.dir, 'broken'),
        deployer: {
          deploy: async () => void steps.push('deploy'),
          remove: async () => {
            steps.push('remove');
            throw new Error('s remove exited with 1');
          },
        },
      });
      expect(steps).toEqual(['deploy', 'remove']);
      expect(result).toEqual({ cases: [{ id: 'vpc.unknown-region', outcome: 'failed', reason: 'boom' }], removeError: 's remove exited with 1' });
    } finally {
      await cloud.stop();
    }
  });
});

describe('the wrong-status probe and the test pair', () => {
  it('is skipped without a test pair', async () => {
    const cloud = await startFakeCloud({ faces: false });
    try {
      const { testPair: _unused, ...withoutPair } = cloud.context;
      const result = await record({ ...options, cases: [vpcWrongStatus], context: withoutPair, deployer: fakeDeployer().deployer, snapshotsDir: join(work.dir, 'no-pair') });
      expect(result.cases).toEqual([{ id: 'vpc.wrong-status', outcome: 'skipped', reason: expect.stringContaining('--test-pair') }]);
      expect(cloud.emulator.control.calls()).toEqual([]);
    } finally {
      await cloud.stop();
    }
  });

  it('calls only Describe and the refused Activate, on the test pair only', async () => {
    const cloud = await startFakeCloud({ faces: false });
    try {
      const observation = await vpcWrongStatus.run(cloud.context);
      expect(observation).toMatchObject({ action: 'ActivateRouterInterface', code: 'IncorrectStatus', httpStatus: 400 });
      const calls = cloud.emulator.control.calls();
      expect(calls.map((call) => call.action)).toEqual(['DescribeRouterInterfaces', 'ActivateRouterInterface']);
      expect(calls.every((call) => JSON.stringify(call.params).includes(DEMO_INITIATOR_ID))).toBe(true);
      expect(cloud.emulator.control.state().interfaces.find((ri) => ri.routerInterfaceId === DEMO_INITIATOR_ID)?.status).toBe('Idle');
    } finally {
      await cloud.stop();
    }
  });

  it('refuses a pair that is Inactive (Activate would change it) without calling Activate', async () => {
    const cloud = await startFakeCloud({ faces: false });
    try {
      const { apis, region } = cloud.context;
      await apis.vpc('ConnectRouterInterface', { RegionId: region, RouterInterfaceId: DEMO_INITIATOR_ID });
      await apis.vpc('DescribeRouterInterfaces', { RegionId: region });
      await apis.vpc('DeactivateRouterInterface', { RegionId: region, RouterInterfaceId: DEMO_INITIATOR_ID });
      cloud.emulator.control.clearCalls();
      await expect(vpcWrongStatus.run(cloud.context)).rejects.toMatchObject({ name: 'CaseSkipped', message: expect.stringContaining('is Inactive') });
      expect(cloud.emulator.control.calls().map((call) => call.action)).toEqual(['DescribeRouterInterfaces']);
    } finally {
      await cloud.stop();
    }
  });
});

describe('the Serverless Devs deployer', () => {
  it('renders the probe flows for the account and region, then runs s deploy / s remove on parity/s.yaml', async () => {
    const root = join(work.dir, 'project');
    mkdirSync(join(root, 'parity'), { recursive: true });
    cpSync(join(ROOT, 'parity', 'flows'), join(root, 'parity', 'flows'), { recursive: true });
    const commands: DeployCommand[] = [];
    const exitCodes = [0, 3];
    const deployer = serverlessDevsDeployer({
      root,
      settings: { accountId: '1234567890123456', region: 'cn-shanghai' },
      env: { PATH: '/bin' },
      run: async (command) => (commands.push(command), exitCodes.shift() ?? 0),
      log: () => undefined,
    });
    await deployer.deploy();
    const rendered = join(root, 'dist', 'parity', 'flows', '1234567890123456', 'cn-shanghai');
    expect(readdirSync(rendered).sort()).toEqual(readdirSync(join(ROOT, 'parity', 'flows')).sort());
    const text = readFileSync(join(rendered, 'task-error.yaml'), 'utf8');
    expect(text).toContain('acs:fc:cn-shanghai:1234567890123456:functions/riflow-parity-throw/LATEST');
    expect(text).not.toContain('{{');
    await expect(deployer.remove()).rejects.toThrow('s remove exited with 3');
    expect(commands.map((command) => [command.command, command.args])).toEqual([
      [join(root, 'node_modules', '.bin', 's'), ['deploy', '-y', '-t', join(root, 'parity', 's.yaml')]],
      [join(root, 'node_modules', '.bin', 's'), ['remove', '-y', '-t', join(root, 'parity', 's.yaml')]],
    ]);
    expect(commands[0]?.env).toMatchObject({ ALIBABA_CLOUD_ACCOUNT_ID: '1234567890123456', RIFLOW_REGION: 'cn-shanghai', PATH: '/bin' });
    expect(existsSync(`${rendered}.rendering-${process.pid}`)).toBe(false);
  });
});
