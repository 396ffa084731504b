/** Retry and Catch rules, and the legacy `OnErrors` shape. */
import { Checker, type MapNode, type Site } from './checker';
import { DOCUMENTED_FIELDS } from './documented-fields';
import { CLOUDFLOW_LIMITS } from './limits';
import type { CatchRule, RetryRule } from './model';
import type { CloudFlowPolicy } from './policy';
import type { Position } from './source';

/** A `Next`-like field to resolve once every state of the scope is known. */
export interface Reference {
  target: string;
  pos: Position;
  site: Site;
  field: string;
}

export const ON_ERRORS_MESSAGE =
  'OnErrors is the retired (Dec 2023) error-handling shape; write Retry: [{Errors, IntervalSeconds, MaxAttempts, ' +
  'BackoffRate?, MaxBackoffSeconds?}] and Catch: [{Errors, Next, OutputConstructor?}] instead';

function errorNames(check: Checker, rule: MapNode, site: Site): string[] {
  const node = check.node(rule, 'Errors');
  if (!node) {
    check.report(rule.pos, site, 'Errors', 'is required (a list of error names; FnF.ALL matches every error)');
    return [];
  }
  const items = check.asList(node, site, 'Errors') ?? [];
  if (node.kind === 'seq' && items.length === 0) check.report(node.pos, site, 'Errors', 'must name at least one error');
  const names: string[] = [];
  items.forEach((item, i) => {
    if (item.kind === 'scalar' && typeof item.value === 'string' && item.value !== '') names.push(item.value);
    else check.report(item.pos, site, `Errors[${i}]`, 'must be an error name');
  });
  return names;
}

/** Description is optional here (docs disagree); policy `missingRuleDescription` makes its absence a warning. */
function description(check: Checker, rule: MapNode, site: Site, policy: CloudFlowPolicy): string | undefined {
  if (!check.node(rule, 'Description')) {
    if (policy.missingRuleDescription === 'warn') {
      check.report(rule.pos, site, 'Description', 'is missing; current CloudFlow docs mark it required', 'warning');
    }
    return undefined;
  }
  return check.string(rule, 'Description', site, false);
}

export function checkRetry(check: Checker, state: MapNode, site: Site, policy: CloudFlowPolicy): RetryRule[] {
  const node = check.node(state, 'Retry');
  if (!node) return [];
  const rules: RetryRule[] = [];
  (check.asList(node, site, 'Retry') ?? []).forEach((item, i) => {
    const ruleSite = { ...site, path: `${site.path}.Retry[${i}]` };
    const rule = check.asMap(item, site, `Retry[${i}]`);
    if (!rule) return;
    check.undocumentedKeys(rule, DOCUMENTED_FIELDS.retryRule, ruleSite);
    const errors = errorNames(check, rule, ruleSite);
    const intervalSeconds = check.integer(rule, 'IntervalSeconds', ruleSite, { required: true, min: 1, max: CLOUDFLOW_LIMITS.retryIntervalSecondsMax });
    const maxAttempts = check.integer(rule, 'MaxAttempts', ruleSite, { required: true, min: 0, max: 1_000_000 });
    const backoffRate = check.number(rule, 'BackoffRate', ruleSite, 1);
    const maxBackoffSeconds = check.integer(rule, 'MaxBackoffSeconds', ruleSite, { required: false, min: 1, max: CLOUDFLOW_LIMITS.retryMaxBackoffSecondsMax });
    const text = description(check, rule, ruleSite, policy);
    if (intervalSeconds === undefined || maxAttempts === undefined) return;
    const parsed: RetryRule = { errors, intervalSeconds, maxAttempts };
    if (text !== undefined) parsed.description = text;
    if (backoffRate !== undefined) parsed.backoffRate = backoffRate;
    if (maxBackoffSeconds !== undefined) parsed.maxBackoffSeconds = maxBackoffSeconds;
    rules.push(parsed);
  });
  return rules;
}

export function checkCatch(
  check: Checker,
  state: MapNode,
  site: Site,
  policy: CloudFlowPolicy,
  references: Reference[],
): CatchRule[] {
  const node = check.node(state, 'Catch');
  if (!node) return [];
  const rules: CatchRule[] = [];
  (check.asList(node, site, 'Catch') ?? []).forEach((item, i) => {
    const ruleSite = { ...site, path: `${site.path}.Catch[${i}]` };
    const rule = check.asMap(item, site, `Catch[${i}]`);
    if (!rule) return;
    check.undocumentedKeys(rule, DOCUMENTED_FIELDS.catchRule, ruleSite);
    const errors = errorNames(check, rule, ruleSite);
    const next = check.string(rule, 'Next', ruleSite, true);
    const text = description(check, rule, ruleSite, policy);
    const constructorNode = check.node(rule, 'OutputConstructor');
    // A failed state has no output, so $Output is refused here (a fixed choice, listed in policy.ts).
    const outputConstructor = constructorNode && check.template(constructorNode, ruleSite, 'OutputConstructor', false);
    if (next === undefined) return;
    references.push({ target: next, pos: check.node(rule, 'Next')?.pos ?? rule.pos, site: ruleSite, field: 'Next' });
    const parsed: CatchRule = { errors, next };
    if (text !== undefined) parsed.description = text;
    if (outputConstructor) parsed.outputConstructor = outputConstructor;
    rules.push(parsed);
  });
  return rules;
}
