/**
 * `riflow plan`: one DescribeRouterInterfaces call, then what a connect-and-modify-spec run would do; or, with
 * `--input`, what a batch (riflow-fleet-modify-spec, or riflow-batch-modify-spec) would do to each interface. Reads
 * only. Exit codes follow `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes, 1 error or blocked (for a
 * batch: any interface a run would refuse, or the batch itself).
 */
import { validateWorkflowInput } from '../../cloudflow/workflow-input';
import { createVpcClient, type VpcClient } from '../../vpc/client';
import { InvalidInputError } from '../../input-error/invalid-input';
import { RouterInterfaceNotFound } from '../../rpc/error-names';
import type { BandwidthSpec } from '../../vpc-api/specs';
import type { FleetTarget } from '../../vpc/fleet-target';
import { validateRegionId, validateRouterInterfaceId, validateTargetSpec } from '../../vpc/validate';
import { parseCommandArgs, readJsonObjectArgument } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { decideBatch, decideItem, readIds, resolveTarget as resolveFleet, type BatchItem, type BatchPlan } from '../plan/batch';
import { decidePlan, notFoundPlan, type Plan } from '../plan/decide';
import { resolveTarget } from '../target';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  'router-interface-id': { type: 'string' },
  spec: { type: 'string' },
  input: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const EXIT_FOR: Record<Plan['result'], number> = { noop: EXIT.ok, changes: EXIT.failed, blocked: EXIT.invalid };

function checkedInput(values: { 'router-interface-id'?: string; spec?: string; region?: string }) {
  if (values['router-interface-id'] === undefined) throw new UsageError('riflow plan: --router-interface-id is required', 'plan');
  if (values.spec === undefined) throw new UsageError('riflow plan: --spec is required', 'plan');
  try {
    return {
      routerInterfaceId: validateRouterInterfaceId(values['router-interface-id'], '--router-interface-id'),
      spec: validateTargetSpec(values.spec, '--spec'),
      regionId: validateRegionId(values.region ?? 'cn-hangzhou', '--region'),
    };
  } catch (error) {
    if (error instanceof InvalidInputError) throw new CliError(`InvalidInput: ${error.message} [rule: ${error.rule}]`, EXIT.invalid, 'Nothing was called.');
    throw error;
  }
}

export async function planCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values } = parseCommandArgs('plan', argv, OPTIONS, { min: 0, max: 0 });
  if (values.input !== undefined) return planBatch(values, terminal);
  const input = checkedInput(values);
  const target = await resolveTarget({ endpoint: values.endpoint, env: terminal.env });
  let plan: Plan;
  try {
    const client = createVpcClient({ endpoint: target.endpoint, credentials: target.credentials });
    const { routerInterface } = await client.describe(input.regionId, input.routerInterfaceId);
    plan = decidePlan(input.spec, routerInterface);
  } catch (error) {
    // What the workflow would catch into its RouterInterfaceNotFound Fail.
    if (error instanceof RouterInterfaceNotFound) {
      plan = notFoundPlan(input.spec, input.routerInterfaceId, input.regionId, error.code);
    } else {
      const name = error instanceof Error ? error.name : 'Error';
      throw new CliError(`DescribeRouterInterfaces failed at ${target.endpoint}: ${name}: ${error instanceof Error ? error.message : String(error)}`, EXIT.invalid);
    }
  } finally {
    await target.stop();
  }
  if (values.json) {
    terminal.out(`${JSON.stringify({ v: 1, type: 'plan', regionId: input.regionId, endpoint: target.endpoint, ...plan })}\n`);
  } else {
    terminal.out(renderPlan(plan, input.regionId, target.description, terminal.color));
  }
  return EXIT_FOR[plan.result];
}

export function renderPlan(plan: Plan, regionId: string, where: string, color: boolean): string {
  const s = styles(color);
  const lines = [`${s.bold('Plan')} for ${plan.routerInterfaceId} in ${regionId} → spec ${plan.targetSpec}`, s.dim(`  read with DescribeRouterInterfaces at ${where}; nothing was changed`), ''];
  if (plan.current) {
    const ri = plan.current;
    lines.push(`  current   status ${s.bold(ri.status)} · spec ${ri.spec} · role ${ri.role} · business status ${ri.businessStatus}`, '');
  }
  for (const step of plan.steps) {
    const mark = step.outcome === 'run' ? s.green('+ run ') : s.dim('= skip');
    lines.push(`  ${mark}  ${step.action.padEnd(26)} ${step.reason}`);
  }
  for (const blocker of plan.blockers) lines.push(`  ${s.red('✗ blocked')}  ${s.bold(blocker.code)}: ${blocker.message}`);
  lines.push('');
  const toRun = plan.steps.filter((step) => step.outcome === 'run').length;
  if (plan.result === 'blocked') lines.push(`${s.red('Blocked')}: a run would end in Fail ${plan.blockers.map((b) => b.code).join(', ')}.`);
  else if (plan.result === 'noop') lines.push(`${s.green('No changes')}: nothing to connect and the spec is already ${plan.targetSpec}.`);
  else lines.push(`${s.yellow('Changes')}: ${toRun} action${toRun === 1 ? '' : 's'} to run, ${plan.steps.length - toRun} skipped. Apply with riflow run --input '{"regionId":"${regionId}","routerInterfaceId":"${plan.routerInterfaceId}","spec":"${plan.targetSpec}"}'.`);
  return `${lines.join('\n')}\n`;
}

/** What `--input` asks for: a fleet's input, or a batch's `{changes}`, checked as the start function checks it. */
type BatchRequest =
  | { flow: 'riflow-fleet-modify-spec'; regionId: string; spec: BandwidthSpec; target: FleetTarget }
  | { flow: 'riflow-batch-modify-spec'; changes: Array<{ regionId: string; routerInterfaceId: string; spec: BandwidthSpec }> };

function checkedBatchInput(values: { 'router-interface-id'?: string; spec?: string; input?: string; region?: string }, cwd: string): BatchRequest {
  for (const flag of ['router-interface-id', 'spec'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`riflow plan: --${flag} goes with one interface; with --input the input names the interfaces and the spec`, 'plan');
  }
  const raw = readJsonObjectArgument(values.input as string, '--input', cwd);
  if (values.region !== undefined && raw.regionId === undefined && raw.changes === undefined) raw.regionId = values.region;
  try {
    if (raw.changes !== undefined) {
      const checked = validateWorkflowInput('riflow-batch-modify-spec', raw) as { changes: Array<{ regionId: string; routerInterfaceId: string; spec: BandwidthSpec }> };
      return { flow: 'riflow-batch-modify-spec', changes: checked.changes };
    }
    const checked = validateWorkflowInput('riflow-fleet-modify-spec', raw) as { regionId: string; spec: BandwidthSpec } & FleetTarget;
    const target: FleetTarget = 'select' in checked ? { select: checked.select } : { routerInterfaceIds: checked.routerInterfaceIds };
    return { flow: 'riflow-fleet-modify-spec', regionId: checked.regionId, spec: checked.spec, target };
  } catch (error) {
    if (error instanceof InvalidInputError) throw new CliError(`InvalidInput: ${error.message} [rule: ${error.rule}]`, EXIT.invalid, 'Nothing was called.');
    throw error;
  }
}

const EXIT_FOR_BATCH: Record<BatchPlan['result'], number> = { noop: EXIT.ok, changes: EXIT.failed, blocked: EXIT.invalid };

async function planBatch(values: { 'router-interface-id'?: string; spec?: string; input?: string; region?: string; endpoint?: string; json?: boolean }, terminal: Terminal): Promise<number> {
  const request = checkedBatchInput(values, terminal.cwd);
  const target = await resolveTarget({ endpoint: values.endpoint, env: terminal.env });
  let plan: BatchPlan;
  try {
    const client = createVpcClient({ endpoint: target.endpoint, credentials: target.credentials });
    plan = await batchPlanOf(client, request);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    throw new CliError(`DescribeRouterInterfaces failed at ${target.endpoint}: ${name}: ${error instanceof Error ? error.message : String(error)}`, EXIT.invalid);
  } finally {
    await target.stop();
  }
  if (values.json) terminal.out(`${JSON.stringify({ v: 1, type: 'plan', kind: 'batch', endpoint: target.endpoint, ...plan })}\n`);
  else terminal.out(renderBatchPlan(plan, request, target.description, terminal.color));
  return EXIT_FOR_BATCH[plan.result];
}

async function batchPlanOf(client: VpcClient, request: BatchRequest): Promise<BatchPlan> {
  if (request.flow === 'riflow-batch-modify-spec') {
    const items: BatchItem[] = [];
    let apiCalls = 0;
    // Each change names its own region and spec: read them region by region, 5 ids a call.
    const regions = [...new Set(request.changes.map((change) => change.regionId))];
    for (const regionId of regions) {
      const here = request.changes.filter((change) => change.regionId === regionId);
      const read = await readIds(client, regionId, here.map((change) => change.routerInterfaceId));
      apiCalls += read.apiCalls;
      here.forEach((change, i) => items.push(decideItem(change.routerInterfaceId, read.interfaces[i]?.ri, change.spec, regionId)));
    }
    return decideBatch(request.flow, items, 0, apiCalls);
  }
  const resolved = await resolveFleet(client, request.regionId, request.target);
  const items = resolved.interfaces.map(({ id, ri }) => decideItem(id, ri, request.spec, request.regionId));
  return decideBatch(request.flow, items, resolved.excluded, resolved.apiCalls, resolved.batchRefused);
}

/** Lines listed per outcome before the rest are counted (--json lists every interface). */
const LISTED_PER_OUTCOME = 20;

export function renderBatchPlan(plan: BatchPlan, request: BatchRequest, where: string, color: boolean): string {
  const s = styles(color);
  const what =
    request.flow === 'riflow-batch-modify-spec'
      ? `${request.changes.length} change${request.changes.length === 1 ? '' : 's'}`
      : `${'select' in request.target ? `select ${JSON.stringify(request.target.select)}` : `${request.target.routerInterfaceIds.length} listed interfaces`} → spec ${request.spec} in ${request.regionId}`;
  const lines = [
    `${s.bold('Plan')} for ${plan.flow}: ${what}`,
    s.dim(`  read with ${plan.apiCalls} DescribeRouterInterfaces call${plan.apiCalls === 1 ? '' : 's'} at ${where}; nothing was changed`),
    '',
  ];
  if (plan.batchRefused) lines.push(`  ${s.red('✗ refused')}  ${s.bold(plan.batchRefused.code)}: ${plan.batchRefused.message}`);
  const marks: Record<BatchItem['outcome'], string> = { change: s.green('+ change '), skip: s.dim('= skip   '), refused: s.red('✗ refused') };
  for (const outcome of ['change', 'skip', 'refused'] as const) {
    const of = plan.items.filter((item) => item.outcome === outcome);
    for (const item of of.slice(0, outcome === 'refused' ? of.length : LISTED_PER_OUTCOME)) {
      lines.push(`  ${marks[outcome]}  ${item.routerInterfaceId.padEnd(26)} ${item.code ? `${s.bold(item.code)}: ` : ''}${item.reason}`);
    }
    if (outcome !== 'refused' && of.length > LISTED_PER_OUTCOME) lines.push(s.dim(`  … and ${of.length - LISTED_PER_OUTCOME} more to ${outcome} (--json lists every one)`));
  }
  const { counts, estimate } = plan;
  lines.push('', `  ${counts.change} to change, ${counts.skip} already at the spec, ${counts.refused} refused${counts.excluded ? `, ${counts.excluded} accepting interfaces left out` : ''}`);
  if (plan.flow === 'riflow-fleet-modify-spec') {
    lines.push(
      `  ${estimate.shards} shard${estimate.shards === 1 ? '' : 's'} of up to 50 (sub-workflow executions); about ${estimate.modifyCalls} ModifyRouterInterfaceSpec and ${estimate.describeCalls} DescribeRouterInterfaces calls ` +
        `(${estimate.changeMinutes}-minute changes): the VPC API's quotas (300 a minute each) allow them in ${estimate.minimumMinutes} minutes at least`,
    );
  }
  lines.push('');
  if (plan.result === 'blocked') lines.push(`${s.red('Blocked')}: a run would refuse ${plan.batchRefused ? 'the batch' : `${counts.refused} interface${counts.refused === 1 ? '' : 's'}`}; fix or drop ${plan.batchRefused ? 'the selector' : 'them'} and plan again.`);
  else if (plan.result === 'noop') lines.push(`${s.green('No changes')}: every interface is already at its spec.`);
  else lines.push(`${s.yellow('Changes')}: ${counts.change} interface${counts.change === 1 ? '' : 's'} to change. Apply with riflow run workflows/${plan.flow.replace(/^riflow-/, '')}.yaml --input '…' (the same input).`);
  return `${lines.join('\n')}\n`;
}
