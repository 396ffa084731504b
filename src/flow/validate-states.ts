/** Scopes (the flow, Parallel branches, Map processors) and the states in them. */
import { Checker, type MapNode, type Site } from './checker';
import { DOCUMENTED_FIELDS } from './documented-fields';
import type { CompiledExpression } from './expression/ast';
import { citeLimit, CLOUDFLOW_LIMITS, type DocumentedLimit } from './limits';
import type { Scope, State, StateType } from './model';
import type { CloudFlowPolicy } from './policy';
import { checkDistributedMap } from './validate-distributed-map';
import { checkCatch, checkRetry, ON_ERRORS_MESSAGE, type Reference } from './validate-rules';

const STATE_TYPES: readonly StateType[] = ['Task', 'Pass', 'Wait', 'Choice', 'Succeed', 'Fail', 'Parallel', 'Map'];

/** Undocumented fields the interpreter still reads, and what it does with them (the warning says so). */
const READ_ANYWAY: Partial<Record<StateType, Readonly<Record<string, string>>>> = {
  Choice: { OutputConstructor: 'the interpreter applies it to the Choice output' },
  Succeed: { End: 'the interpreter accepts it, as on a Fail' },
  Fail: { End: 'the interpreter accepts it (an example on the Fail page writes End: true)' },
};
/** Fields that are an error on a state type: reported as such, not also as undocumented. */
const REFUSED: Partial<Record<StateType, readonly string[]>> = {
  Choice: ['Next', 'End', 'OnErrors'],
  Succeed: ['Next', 'OnErrors'],
  Fail: ['Next', 'OnErrors'],
};

export class ScopeChecker {
  constructor(
    private readonly check: Checker,
    private readonly policy: CloudFlowPolicy,
  ) {}

  /** `{StartAt, States}` at `site.path`; resolves every reference inside and reports unreachable states. */
  scope(map: MapNode, site: Site): Scope {
    const { check } = this;
    const startAt = check.string(map, 'StartAt', site, true);
    const statesNode = check.node(map, 'States');
    const states = new Map<string, State>();
    const references: Reference[] = [];
    const edges = new Map<string, string[]>();
    if (!statesNode) check.report(map.pos, site, 'States', 'is required (a list of states)');
    const items = statesNode ? (check.asList(statesNode, site, 'States') ?? []) : [];
    if (statesNode?.kind === 'seq' && items.length === 0) check.report(statesNode.pos, site, 'States', 'must hold at least one state');
    items.forEach((item, i) => {
      const path = `${site.path ? `${site.path}.` : ''}States[${i}]`;
      const stateMap = check.asMap(item, { path: site.path }, `States[${i}]`);
      if (!stateMap) return;
      const before = references.length;
      const state = this.state(stateMap, path, references);
      if (!state) return;
      if (states.has(state.name)) {
        const namePos = check.node(stateMap, 'Name')?.pos ?? stateMap.pos;
        check.report(namePos, { path, state: state.name }, 'Name', `duplicates another state's name in this scope`);
        return;
      }
      states.set(state.name, state);
      edges.set(state.name, references.slice(before).map((ref) => ref.target));
    });
    if (startAt !== undefined) {
      const pos = check.node(map, 'StartAt')?.pos ?? map.pos;
      references.push({ target: startAt, pos, site, field: 'StartAt' });
    }
    for (const ref of references) {
      if (!states.has(ref.target) && items.length > 0) {
        const known = [...states.keys()].join(', ');
        check.report(ref.pos, ref.site, ref.field, `names "${ref.target}", which is not a state in this scope (states: ${known})`);
      }
    }
    if (startAt !== undefined && states.has(startAt)) this.reportUnreachable(startAt, states, edges);
    return { startAt: startAt ?? '', states };
  }

  private reportUnreachable(startAt: string, states: Map<string, State>, edges: Map<string, string[]>): void {
    const seen = new Set([startAt]);
    const queue = [startAt];
    while (queue.length > 0) {
      for (const target of edges.get(queue.pop() as string) ?? []) {
        if (!seen.has(target) && states.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    for (const state of states.values()) {
      if (!seen.has(state.name)) {
        this.check.report({ line: state.line, column: state.column }, { path: state.path, state: state.name }, 'Name', 'is unreachable: no StartAt, Next, Default or Catch leads to it');
      }
    }
  }

  private state(map: MapNode, path: string, references: Reference[]): State | undefined {
    const { check, policy } = this;
    const name = check.string(map, 'Name', { path }, true);
    const site: Site = name === undefined ? { path } : { path, state: name };
    const type = check.string(map, 'Type', site, true) as StateType | undefined;
    if (map.entries.has('OnErrors')) check.report(map.entries.get('OnErrors')?.keyPos ?? map.pos, site, 'OnErrors', ON_ERRORS_MESSAGE);
    if (type !== undefined && !STATE_TYPES.includes(type)) {
      check.report(check.node(map, 'Type')?.pos ?? map.pos, site, 'Type', `must be one of ${STATE_TYPES.join(', ')}`);
      return undefined;
    }
    if (name === undefined || type === undefined) return undefined;
    // A ProcessorConfig makes a Map distributed (distributed-mode page); its fields are that page's.
    const distributed = type === 'Map' && map.entries.has('ProcessorConfig');
    const fields = distributed ? DOCUMENTED_FIELDS.distributedMap : DOCUMENTED_FIELDS[type];
    check.undocumentedKeys(map, fields, site, READ_ANYWAY[type], REFUSED[type] ?? ['OnErrors']);

    const refer = (field: string): string | undefined => {
      const target = check.string(map, field, site, false);
      if (target !== undefined) references.push({ target, pos: check.node(map, field)?.pos ?? map.pos, site, field });
      return target;
    };
    const base = { name, path, line: map.pos.line, column: map.pos.column } as State;
    const inputNode = check.node(map, 'InputConstructor');
    const outputNode = check.node(map, 'OutputConstructor');
    const inputConstructor = inputNode && check.template(inputNode, site, 'InputConstructor', false);
    const outputConstructor = outputNode && check.template(outputNode, site, 'OutputConstructor', true);
    if (inputConstructor) base.inputConstructor = inputConstructor;
    if (outputConstructor) base.outputConstructor = outputConstructor;

    if (type === 'Choice') {
      for (const field of ['Next', 'End']) {
        if (map.entries.has(field)) check.report(check.node(map, field)?.pos ?? map.pos, site, field, 'is not allowed on a Choice state (use Branches and Default)');
      }
      const branches = this.choiceBranches(map, site, references);
      if (!map.entries.has('Default')) check.report(map.pos, site, 'Default', 'is required on a Choice state');
      const fallback = refer('Default') ?? '';
      return { ...base, type, branches, default: fallback };
    }
    const next = type === 'Succeed' || type === 'Fail' ? this.terminal(map, site) : this.flowing(map, site, refer);
    if (type === 'Succeed') return { ...base, type };
    if (type === 'Fail') {
      const fail: State = { ...base, type };
      const code = check.string(map, 'Code', site, false);
      const detail = check.string(map, 'Detail', site, false);
      if (code !== undefined) fail.code = code;
      if (detail !== undefined) fail.detail = detail;
      return fail;
    }
    const flow = { ...base, end: next === undefined, ...(next === undefined ? {} : { next }) };
    if (type === 'Pass') return { ...flow, type };
    if (type === 'Wait') return { ...flow, type, seconds: this.waitSeconds(map, site) };
    const retry = checkRetry(check, map, site, policy);
    const catchRules = checkCatch(check, map, site, policy, references);
    if (type === 'Task') {
      const action = check.string(map, 'Action', site, true) ?? '';
      const taskMode = check.string(map, 'TaskMode', site, false) ?? 'RequestComplete';
      const parametersNode = check.node(map, 'Parameters');
      const parameters = parametersNode && check.template(parametersNode, site, 'Parameters', false);
      const timeoutSeconds = this.taskTimeout(map, site);
      const task: State = { ...flow, type, action, taskMode, retry, catch: catchRules };
      if (parameters) task.parameters = parameters;
      if (timeoutSeconds !== undefined) task.timeoutSeconds = timeoutSeconds;
      return task;
    }
    if (type === 'Parallel') return { ...flow, type, retry, catch: catchRules, branches: this.parallelBranches(map, site) };
    const itemsNode = check.node(map, 'ItemsPath');
    if (!itemsNode) check.report(map.pos, site, 'ItemsPath', 'is required (an expression such as $Input.items)');
    const itemsPath = itemsNode && check.expression(itemsNode, site, 'ItemsPath', false);
    const processorNode = check.node(map, 'Processor');
    if (!processorNode) check.report(map.pos, site, 'Processor', 'is required ({StartAt, States})');
    const processorMap = processorNode && check.asMap(processorNode, site, 'Processor');
    if (processorMap) check.undocumentedKeys(processorMap, DOCUMENTED_FIELDS.mapProcessor, { ...site, path: `${path}.Processor` });
    const processor = processorMap ? this.scope(processorMap, { path: `${path}.Processor` }) : { startAt: '', states: new Map() };
    const maxConcurrency = this.mapConcurrency(map, site, distributed ? CLOUDFLOW_LIMITS.distributedMapMaxConcurrency : CLOUDFLOW_LIMITS.mapMaxConcurrency);
    const mapState = { ...flow, type, retry, catch: catchRules, itemsPath: itemsPath ?? placeholder, processor, maxConcurrency };
    return distributed ? { ...mapState, distributed: checkDistributedMap(check, map, site, processor, `${path}.ProcessorConfig`) } : mapState;
  }

  /** Exactly one of `Next` and `End: true`; returns the Next target (undefined = ends its scope). */
  private flowing(map: MapNode, site: Site, refer: (field: string) => string | undefined): string | undefined {
    const { check } = this;
    const endNode = check.node(map, 'End');
    const hasNext = map.entries.has('Next');
    if (endNode && !(endNode.kind === 'scalar' && typeof endNode.value === 'boolean')) {
      check.report(endNode.pos, site, 'End', 'must be true or false');
    }
    const ends = endNode?.kind === 'scalar' && endNode.value === true;
    if (hasNext && ends) check.report(endNode.pos, site, 'End', 'cannot be combined with Next; keep one of them');
    if (!hasNext && !ends) check.report(map.pos, site, 'Next', 'is required unless the state has End: true');
    return refer('Next');
  }

  /** Succeed and Fail end their scope; `End: true` is tolerated (doc examples write it), `Next` is not. */
  private terminal(map: MapNode, site: Site): undefined {
    const next = this.check.node(map, 'Next');
    if (next) this.check.report(next.pos, site, 'Next', 'is not allowed: Succeed and Fail states end their scope');
    return undefined;
  }

  private waitSeconds(map: MapNode, site: Site): number | CompiledExpression {
    const { check } = this;
    const expressionNode = check.node(map, 'Seconds.$');
    if (expressionNode && map.entries.has('Seconds')) check.report(map.pos, site, 'Seconds', 'cannot be combined with Seconds.$');
    // A Seconds.$ value is checked against the same limits when the Wait runs.
    if (expressionNode) return check.expression(expressionNode, site, 'Seconds.$', false) ?? 0;
    const { waitSecondsMin: min, waitSecondsMax: max } = CLOUDFLOW_LIMITS;
    if (!map.entries.has('Seconds')) check.report(map.pos, site, 'Seconds', `is required (${min.value}..${max.value}, or Seconds.$ with an expression)`);
    return check.integer(map, 'Seconds', site, { required: false, min, max }) ?? 0;
  }

  /** `Timeout` is a string of seconds in the docs, 0 (none) to 604,800; `Timeout.$` is checked when the Task runs. */
  private taskTimeout(map: MapNode, site: Site): number | CompiledExpression | undefined {
    const { check } = this;
    const expressionNode = check.node(map, 'Timeout.$');
    const node = check.node(map, 'Timeout');
    if (expressionNode) {
      if (node) check.report(node.pos, site, 'Timeout', 'cannot be combined with Timeout.$');
      return check.expression(expressionNode, site, 'Timeout.$', false);
    }
    if (node?.kind === 'scalar' && typeof node.value === 'number') {
      check.report(node.pos, site, 'Timeout', `is documented as a string of seconds; write Timeout: "${node.value}"`, 'warning');
    }
    const seconds = check.integer(map, 'Timeout', site, { required: false, min: 0, max: CLOUDFLOW_LIMITS.taskTimeoutSecondsMax, asString: true });
    return seconds === 0 ? undefined : seconds;
  }

  /** 1..the mode's limit (40 inline, 100 distributed); absent means that maximum, and so does 0 (a fixed choice,
   * listed in policy.ts). */
  private mapConcurrency(map: MapNode, site: Site, limit: DocumentedLimit): number {
    const { check, policy } = this;
    const [field, ...others] = policy.mapConcurrencyFields.filter((name) => map.entries.has(name));
    for (const other of others) {
      check.report(map.entries.get(other)?.keyPos ?? map.pos, site, other, `cannot be combined with ${field}: both spell the Map's concurrency`);
    }
    if (field === undefined) return limit.value;
    const value = check.integer(map, field, site, { required: false, min: 0, max: limit });
    return value === undefined || value === 0 ? limit.value : value;
  }

  private choiceBranches(map: MapNode, site: Site, references: Reference[]): Array<{ condition: CompiledExpression; next: string }> {
    const { check } = this;
    const node = check.node(map, 'Branches');
    if (!node) {
      check.report(map.pos, site, 'Branches', 'is required (a list of {Condition, Next})');
      return [];
    }
    const branches: Array<{ condition: CompiledExpression; next: string }> = [];
    (check.asList(node, site, 'Branches') ?? []).forEach((item, i) => {
      const branch = check.asMap(item, site, `Branches[${i}]`);
      if (!branch) return;
      const branchSite = { ...site, path: `${site.path}.Branches[${i}]` };
      check.undocumentedKeys(branch, DOCUMENTED_FIELDS.choiceBranch, branchSite);
      const conditionNode = check.node(branch, 'Condition');
      if (!conditionNode) check.report(branch.pos, branchSite, 'Condition', 'is required');
      const condition = conditionNode && check.expression(conditionNode, branchSite, 'Condition', false);
      const next = check.string(branch, 'Next', branchSite, true);
      if (next !== undefined) references.push({ target: next, pos: check.node(branch, 'Next')?.pos ?? branch.pos, site: branchSite, field: 'Next' });
      if (condition && next !== undefined) branches.push({ condition, next });
    });
    return branches;
  }

  private parallelBranches(map: MapNode, site: Site): Scope[] {
    const { check } = this;
    const node = check.node(map, 'Branches');
    if (!node) {
      check.report(map.pos, site, 'Branches', 'is required (a list of {StartAt, States})');
      return [];
    }
    const items = check.asList(node, site, 'Branches') ?? [];
    const limit = CLOUDFLOW_LIMITS.parallelMaxBranches;
    if (items.length > limit.value) check.report(node.pos, site, 'Branches', `has ${items.length} branches: ${citeLimit(limit)}`);
    if (node.kind === 'seq' && items.length === 0) check.report(node.pos, site, 'Branches', 'must hold at least one branch');
    const scopes: Scope[] = [];
    items.forEach((item, i) => {
      const branch = check.asMap(item, site, `Branches[${i}]`);
      if (!branch) return;
      const path = `${site.path}.Branches[${i}]`;
      check.undocumentedKeys(branch, DOCUMENTED_FIELDS.parallelBranch, { ...site, path });
      scopes.push(this.scope(branch, { path }));
    });
    return scopes;
  }
}

/** Stands in for an expression that failed to parse; the flow is rejected anyway, so it is never evaluated. */
const placeholder: CompiledExpression = { source: 'null', ast: { kind: 'literal', value: null, offset: 0 }, variables: new Set(), callDepth: 0, evaluate: () => null };
