/** Marks on a graph the path one execution took: visited states, edges followed, retries, failures. */
import type { HistoryEvent } from '../../flow/history';
import { END_ID, START_ID, type FlowGraph, type GraphNode } from './model';

/** The graph index key of an event's state (Map iterations share one key: the processor is drawn once). */
export function nodeKey(event: Pick<HistoryEvent, 'scope' | 'state'>): string {
  const scope = event.scope ? `/${event.scope.replace(/\.Items\[\d+\]/g, '.Items')}` : '';
  return `${scope}/${event.state ?? ''}`;
}

export function overlayRun(graph: FlowGraph, events: HistoryEvent[]): FlowGraph {
  const nodes = new Map(graph.nodes.map((node) => [node.id, { ...node }]));
  const edges = graph.edges.map((edge) => ({ ...edge }));
  const byKey = (event: HistoryEvent): GraphNode | undefined => {
    const id = graph.index.get(nodeKey(event));
    return id ? nodes.get(id) : undefined;
  };
  const take = (from: string, to: string, kinds: string[]): void => {
    for (const edge of edges) if (edge.from === from && edge.to === to && kinds.includes(edge.kind)) edge.taken = true;
  };
  let first: string | undefined;
  for (const event of events) {
    const node = byKey(event);
    if (!node) continue;
    switch (event.type) {
      case 'StateEntered':
        node.visits = (node.visits ?? 0) + 1;
        if (!event.scope) first ??= node.id;
        break;
      case 'StateRetrying':
        node.retries = (node.retries ?? 0) + 1;
        break;
      case 'StateSucceeded': {
        const next = event.next;
        if (next !== undefined) {
          const target = graph.index.get(nodeKey({ ...event, state: next }));
          if (target) take(node.id, target, ['next', 'choice', 'default']);
          // Parallel/Map leave through their join node.
          if (target) take(`${node.id}_join`, target, ['next']);
        } else if (!event.scope) {
          take(node.id, END_ID, ['next']);
        }
        break;
      }
      case 'StateFailed': {
        if (event.caughtBy) {
          const target = graph.index.get(nodeKey({ ...event, state: event.caughtBy }));
          if (target) take(node.id, target, ['catch']);
        } else {
          node.failed = true;
        }
        break;
      }
      default:
        break;
    }
  }
  if (first) take(START_ID, first, ['next']);
  return { ...graph, nodes: [...nodes.values()], edges };
}
