/**
 * A workflow as nodes, edges and clusters, independent of the drawing language. Parallel and Map states become
 * clusters (one per branch / the processor) between a fork node (the state) and a join node.
 */
import type { Flow, Scope, State } from '../../flow/model';

export const START_ID = 'flowStart';
export const END_ID = 'flowEnd';

export type NodeKind = 'start' | 'end' | 'task' | 'choice' | 'wait' | 'pass' | 'succeed' | 'fail' | 'fork' | 'join';
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'branch';

export interface GraphNode {
  id: string;
  label: string;
  detail?: string;
  kind: NodeKind;
  cluster?: string;
  /** Overlay of a run. */
  visits?: number;
  retries?: number;
  failed?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  kind: EdgeKind;
  taken?: boolean;
}

export interface GraphCluster {
  id: string;
  label: string;
  parent?: string;
}

export interface FlowGraph {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
  /** `scope path/state name` → node id, for the run overlay. */
  index: Map<string, string>;
}

const KIND: Record<State['type'], NodeKind> = {
  Task: 'task',
  Choice: 'choice',
  Wait: 'wait',
  Pass: 'pass',
  Succeed: 'succeed',
  Fail: 'fail',
  Parallel: 'fork',
  Map: 'fork',
};

function functionOf(state: State): string | undefined {
  if (state.type !== 'Task') return undefined;
  const match = /functions\/([^/"]+)/.exec(JSON.stringify(state.parameters ?? {}));
  return match?.[1] ?? state.action;
}

function detailOf(state: State): string | undefined {
  switch (state.type) {
    case 'Task':
      return functionOf(state);
    case 'Wait':
      return typeof state.seconds === 'number' ? `${state.seconds}s` : `${state.seconds.source}`;
    case 'Fail':
      return state.code;
    case 'Map':
      return `each of ${state.itemsPath.source}`;
    case 'Parallel':
      return `${state.branches.length} branches`;
    default:
      return undefined;
  }
}

class Builder {
  readonly graph: FlowGraph;
  private counter = 0;

  constructor(title: string) {
    this.graph = { title, nodes: [], edges: [], clusters: [], index: new Map() };
  }

  private newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  /** Adds a scope's states; returns the id of its first state and the ids of states that end the scope. */
  scope(scope: Scope, scopeKey: string, cluster: string | undefined): { start: string; ends: string[] } {
    const ids = new Map<string, string>();
    for (const state of scope.states.values()) {
      const id = this.newId('s');
      ids.set(state.name, id);
      this.graph.index.set(`${scopeKey}/${state.name}`, id);
      const detail = detailOf(state);
      this.graph.nodes.push({ id, label: state.name, kind: KIND[state.type], ...(detail ? { detail } : {}), ...(cluster ? { cluster } : {}) });
    }
    const ends: string[] = [];
    for (const state of scope.states.values()) {
      const id = ids.get(state.name) as string;
      const to = (name: string): string => ids.get(name) ?? name;
      let exit = id;
      if (state.type === 'Parallel' || state.type === 'Map') exit = this.nested(state, id, scopeKey, cluster);
      if (state.type === 'Choice') {
        for (const branch of state.branches) this.graph.edges.push({ from: id, to: to(branch.next), label: branch.condition.source, kind: 'choice' });
        this.graph.edges.push({ from: id, to: to(state.default), label: 'default', kind: 'default' });
      } else if (state.type === 'Succeed' || state.type === 'Fail') {
        ends.push(id);
      } else if (state.next !== undefined) {
        this.graph.edges.push({ from: exit, to: to(state.next), kind: 'next' });
      } else {
        ends.push(exit);
      }
      if (state.type === 'Task' || state.type === 'Parallel' || state.type === 'Map') {
        for (const rule of state.catch) this.graph.edges.push({ from: id, to: to(rule.next), label: rule.errors.join(', '), kind: 'catch' });
      }
    }
    return { start: ids.get(scope.startAt) ?? scope.startAt, ends };
  }

  /** Branch clusters of a Parallel (or the processor of a Map) between the state and a join node. */
  private nested(state: State & { type: 'Parallel' | 'Map' }, forkId: string, scopeKey: string, parent: string | undefined): string {
    const outer = this.newId('c');
    this.graph.clusters.push({ id: outer, label: `${state.type} ${state.name}`, ...(parent ? { parent } : {}) });
    const fork = this.graph.nodes.find((node) => node.id === forkId);
    if (fork) fork.cluster = outer;
    const joinId = `${forkId}_join`;
    this.graph.nodes.push({ id: joinId, label: 'join', kind: 'join', cluster: outer });
    const scopes = state.type === 'Parallel' ? state.branches.map((scope, i) => ({ scope, label: `Branch${i}` })) : [{ scope: state.processor, label: 'Items' }];
    for (const { scope, label } of scopes) {
      const cluster = this.newId('c');
      this.graph.clusters.push({ id: cluster, label, parent: outer });
      const { start, ends } = this.scope(scope, `${scopeKey}/${state.name}.${label}`, cluster);
      this.graph.edges.push({ from: forkId, to: start, kind: 'branch' });
      for (const end of ends) this.graph.edges.push({ from: end, to: joinId, kind: 'next' });
    }
    return joinId;
  }
}

export function buildGraph(flow: Flow): FlowGraph {
  const builder = new Builder(flow.name);
  const graph = builder.graph;
  // `end` is a Mermaid keyword: the terminals get ids no state can take (state ids are s<n>).
  graph.nodes.push({ id: START_ID, label: 'start', kind: 'start' }, { id: END_ID, label: 'end', kind: 'end' });
  const { start, ends } = builder.scope(flow.scope, '', undefined);
  graph.edges.push({ from: START_ID, to: start, kind: 'next' });
  for (const end of ends) graph.edges.push({ from: end, to: END_ID, kind: 'next' });
  return graph;
}
