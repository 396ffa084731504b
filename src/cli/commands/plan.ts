/**
 * `riflow plan`: one DescribeRouterInterfaces call, then what a connect-and-modify-spec run would do. Exit codes
 * follow `terraform plan -detailed-exitcode`: 0 nothing to do, 2 changes, 1 error or blocked.
 */
import { createVpcClient } from '../../vpc/client';
import { InvalidInputError } from '../../input-error/invalid-input';
import { RouterInterfaceNotFound } from '../../rpc/error-names';
import { validateRegionId, validateRouterInterfaceId, validateTargetSpec } from '../../vpc/validate';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { decidePlan, notFoundPlan, type Plan } from '../plan/decide';
import { resolveTarget } from '../target';
import { styles, type Terminal } from '../terminal';

export const OPTIONS = {
  'router-interface-id': { type: 'string' },
  spec: { type: 'string' },
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
