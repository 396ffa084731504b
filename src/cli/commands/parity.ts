/**
 * `riflow parity`: the twin against the cloud, LocalStack-style. Without a mode flag, every case runs on the twin
 * (the emulator and the interpreter, with the policy in force) and is compared with parity/snapshots. `--record`
 * runs the same cases on the user's account and writes the snapshots; `--apply` turns the snapshots into the policy
 * file; `--show-policy` prints every setting in force.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeployCommand } from '../../deploy/deploy';
import { DeploySettingsError, readDeploySettings } from '../../deploy/settings';
import { settleFromSnapshots, describeSource } from '../../parity/apply';
import type { ParityCase } from '../../parity/case';
import { PARITY_CASES } from '../../parity/cases/index';
import { compareCase, summarize } from '../../parity/compare';
import { PARITY_DIR, serverlessDevsDeployer } from '../../parity/deploy';
import { observe, runMask } from '../../parity/observe';
import { record, type Deployer } from '../../parity/record';
import { readSnapshots, SnapshotError } from '../../parity/snapshots';
import { POLICY_FILE_NAME } from '../../policy-file/policy-file';
import { endpointFromEnvironment } from '../../vpc/endpoint';
import { parseCommandArgs } from '../args';
import { displayPath } from '../project';
import { CliError, EXIT, UsageError } from '../errors';
import { createParityApis } from '../parity/apis';
import { renderComparison, renderRecording, renderSettings, renderSettled } from '../parity/report';
import { newRunId, realSleep, startTwin } from '../parity/twin';
import { loadPolicy, locatePolicyFile, readPolicyFile, settingsInForce, writePolicyFile, type PolicyInForce } from '../policy';
import { credentialsFromEnv } from '../target';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  record: { type: 'boolean' },
  apply: { type: 'boolean' },
  'show-policy': { type: 'boolean' },
  snapshots: { type: 'string' },
  case: { type: 'string', multiple: true },
  policy: { type: 'string' },
  'test-pair': { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type ParityValues = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** The project root: the nearest folder (from cwd up) holding parity/s.yaml. */
function findRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, PARITY_DIR, 's.yaml'))) return dir;
    if (dirname(dir) === dir) throw new CliError('no parity/s.yaml found in this folder or above', EXIT.invalid, 'Run riflow parity from the riflow project folder.');
  }
}

function selectCases(requested: string[] | undefined): readonly ParityCase[] {
  if (!requested || requested.length === 0) return PARITY_CASES;
  const known = new Map(PARITY_CASES.map((parityCase) => [parityCase.id, parityCase]));
  return requested.map((id) => {
    const found = known.get(id);
    if (!found) throw new UsageError(`riflow parity: --case ${id} is not a case (cases: ${[...known.keys()].join(', ')})`, 'parity');
    return found;
  });
}

function loadSnapshots(dir: string) {
  try {
    return readSnapshots(dir, new Set(PARITY_CASES.map((parityCase) => parityCase.id)));
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliError(`corrupt snapshot: ${error.message}`, EXIT.invalid, 'Fix the file or record it again (riflow parity --record --case <id>).');
    throw error;
  }
}

export async function parityCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values } = parseCommandArgs('parity', argv, OPTIONS, { min: 0, max: 0 });
  const modes = (['record', 'apply', 'show-policy'] as const).filter((mode) => values[mode]);
  if (modes.length > 1) throw new UsageError(`riflow parity: --${modes[0]} and --${modes[1]} cannot be combined`, 'parity');
  for (const flag of ['test-pair', 'region', 'account-id'] as const) {
    if (values[flag] !== undefined && !values.record) throw new UsageError(`riflow parity: --${flag} applies with --record only`, 'parity');
  }
  if ((values.apply || values['show-policy']) && values.case !== undefined) {
    throw new UsageError(`riflow parity: --case does not apply with --${values.apply ? 'apply' : 'show-policy'} (every snapshot is applied)`, 'parity');
  }
  if (values['show-policy']) return showPolicy(values, terminal);
  const cwd = terminal.cwd;
  const root = findRoot(cwd);
  const snapshotsDir = resolve(cwd, values.snapshots ?? join(root, PARITY_DIR, 'snapshots'));
  if (values.apply) return applySnapshots(values, terminal, root, snapshotsDir);
  const cases = selectCases(values.case);
  if (values.record) return recordCases(values, terminal, root, snapshotsDir, cases);
  return compareWithSnapshots(values, terminal, root, snapshotsDir, cases);
}

function showPolicy(values: ParityValues, terminal: Terminal): number {
  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd: terminal.cwd });
  const settings = settingsInForce(policy);
  if (values.json) {
    terminal.out(`${JSON.stringify({ v: 1, type: 'parity.policy', file: policy.path ?? null, settings })}\n`);
    return EXIT.ok;
  }
  const style = styles(terminal.color);
  terminal.out(`${style.bold('riflow parity --show-policy')}: ${policy.path ? `${displayPath(terminal.cwd, policy.path)} (${policy.origin})` : 'no policy file: every value is built in'}\n`);
  terminal.out(renderSettings(settings, style));
  return EXIT.ok;
}

async function compareWithSnapshots(values: ParityValues, terminal: Terminal, root: string, snapshotsDir: string, cases: readonly ParityCase[]): Promise<number> {
  const policy = loadPolicy({ flag: values.policy, env: terminal.env, cwd: terminal.cwd });
  const snapshots = loadSnapshots(snapshotsDir);
  const twin = await startTwin(root, policy);
  let observations;
  try {
    observations = await observe(cases, twin.context, runMask(twin.context.runId));
  } finally {
    await twin.stop();
  }
  const inForce = inForceLookup(policy);
  const results = cases.map((parityCase) => compareCase(parityCase, snapshots.get(parityCase.id), observations.get(parityCase.id) ?? new Error('not run'), inForce));
  const summary = summarize(results);
  if (values.json) {
    for (const result of results) terminal.out(`${JSON.stringify({ v: 1, type: 'parity.case', ...result })}\n`);
    terminal.out(`${JSON.stringify({ v: 1, type: 'parity.summary', ...summary, policy: policy.path ?? null })}\n`);
  } else {
    const style = styles(terminal.color);
    const where = displayPath(terminal.cwd, snapshotsDir);
    terminal.out(`${style.bold('riflow parity')}: the twin against ${where} ${style.dim(`(policy: ${policy.path ? displayPath(terminal.cwd, policy.path) : 'built in'})`)}\n`);
    terminal.out(renderComparison(results, summary, style));
  }
  return summary.differs + summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

function inForceLookup(policy: PolicyInForce): (setting: string) => unknown {
  const all = new Map(settingsInForce(policy).map((setting) => [setting.path, setting.value]));
  return (setting) => all.get(setting);
}

function applySnapshots(values: ParityValues, terminal: Terminal, root: string, snapshotsDir: string): number {
  const style = styles(terminal.color);
  const located = locatePolicyFile({ flag: values.policy, env: terminal.env, cwd: terminal.cwd });
  const target = located?.path ?? join(root, POLICY_FILE_NAME);
  // A file that is there but broken is reported, never silently replaced.
  if (existsSync(target)) readPolicyFile(target, displayPath(terminal.cwd, target));
  const settled = settleFromSnapshots(PARITY_CASES, loadSnapshots(snapshotsDir));
  if (settled.conflicts.length > 0) {
    const lines = settled.conflicts.map(({ setting, a, b }) => `  ${setting}: ${JSON.stringify(a.value)} (${describeSource(a)}) vs ${JSON.stringify(b.value)} (${describeSource(b)})`);
    throw new CliError(`the snapshots disagree, nothing was written:\n${lines.join('\n')}`, EXIT.invalid, 'Record the cases again (riflow parity --record --case <id>) or remove one of the snapshots.');
  }
  const shown = displayPath(terminal.cwd, target);
  if (settled.settled.size === 0) {
    terminal.out(`riflow parity --apply: no snapshot in ${displayPath(terminal.cwd, snapshotsDir)} settles a setting; ${shown} was not written.\n`);
    return EXIT.ok;
  }
  const file = {
    values: new Map([...settled.settled].map(([setting, value]) => [setting, value.value])),
    sources: new Map([...settled.settled].map(([setting, value]) => [setting, describeSource(value)])),
  };
  writePolicyFile(target, file);
  if (values.json) {
    terminal.out(`${JSON.stringify({ v: 1, type: 'parity.applied', file: target, settings: [...settled.settled.values()] })}\n`);
  } else {
    terminal.out(`${style.bold('riflow parity --apply')}: ${settled.settled.size} setting${settled.settled.size === 1 ? '' : 's'} written to ${shown}\n`);
    terminal.out(renderSettled(settled, style));
    const howFound = located?.origin === '--policy' ? ` given --policy ${shown}` : located?.origin === 'RIFLOW_POLICY' ? ' with RIFLOW_POLICY set' : '';
    terminal.out(`riflow run, invoke, emulator, console and parity read it${howFound}; riflow parity compares again.\n`);
  }
  return EXIT.ok;
}

function runCommand({ command, args, env }: DeployCommand): Promise<number> {
  return new Promise((done, fail) => {
    // Serverless Devs talks on stderr: stdout stays ours (NDJSON with --json).
    const child = spawn(command, args, { env, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 1));
  });
}

async function recordCases(values: ParityValues, terminal: Terminal, root: string, snapshotsDir: string, cases: readonly ParityCase[]): Promise<number> {
  const env = terminal.env;
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new CliError('riflow parity --record needs credentials for your account', EXIT.invalid, 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys). Nothing was deployed.');
  }
  let settings;
  try {
    settings = readDeploySettings({ ...env, ...(values['account-id'] ? { ALIBABA_CLOUD_ACCOUNT_ID: values['account-id'] } : {}), ...(values.region ? { RIFLOW_REGION: values.region } : {}) });
  } catch (error) {
    if (error instanceof DeploySettingsError) throw new CliError(`riflow parity --record: ${error.message}`, EXIT.invalid, 'Nothing was deployed.');
    throw error;
  }
  const testPair = values['test-pair'];
  if (testPair !== undefined && !/^ri-[a-z0-9]{1,64}$/.test(testPair)) throw new UsageError(`riflow parity: --test-pair "${testPair}" is not a router interface id (ri-…)`, 'parity');
  const { accountId, region } = settings;
  const flowEndpoint = env.RIFLOW_FLOW_ENDPOINT?.trim() ? env.RIFLOW_FLOW_ENDPOINT.trim().replaceAll('{regionId}', region) : `https://${region}.fnf.aliyuncs.com`;
  const fcEndpoint = env.RIFLOW_FC_ENDPOINT?.trim() || undefined;
  const apis = createParityApis({ vpc: endpointFromEnvironment(env, region), cloudflow: flowEndpoint, ...(fcEndpoint ? { fc: fcEndpoint } : {}), accountId, region, credentials });
  const runId = newRunId();
  const log = (line: string): void => terminal.err(`${line}\n`);
  const deployer: Deployer = serverlessDevsDeployer({ root, settings, env, run: runCommand, log });
  log(`riflow parity --record: deploying parity/s.yaml (functions riflow-parity-*, flows riflow-parity-*) to ${region}, running ${cases.length} case(s), then removing it`);
  const result = await record({
    cases,
    context: { apis, region, ...(testPair ? { testPair } : {}), runId, poll: { intervalMs: 1_000, timeoutMs: 300_000 }, sleep: realSleep },
    deployer,
    snapshotsDir,
    region,
    date: new Date().toISOString().slice(0, 10),
    mask: runMask(runId, [[accountId, '<account-id>'], ...(testPair ? [[testPair, '<test-pair>'] as const] : [])]),
    onProgress: log,
  });
  if (values.json) terminal.out(`${JSON.stringify({ v: 1, type: 'parity.recorded', ...result })}\n`);
  else terminal.out(renderRecording(result, styles(terminal.color)));
  if (result.removeError) {
    terminal.err(`Remove the probes yourself: ALIBABA_CLOUD_ACCOUNT_ID=${accountId} RIFLOW_REGION=${region} npx s remove -y -t ${displayPath(terminal.cwd, join(root, PARITY_DIR, 's.yaml'))}\n`);
  }
  const failed = result.deployError !== undefined || result.removeError !== undefined || result.cases.some((entry) => entry.outcome === 'failed');
  return failed ? EXIT.failed : EXIT.ok;
}
