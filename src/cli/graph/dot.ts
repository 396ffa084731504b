/** Graphviz DOT text: Choice as diamonds, Catch edges dashed, Parallel/Map as clusters. */
import type { FlowGraph, GraphNode } from './model';

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const SHAPES: Record<GraphNode['kind'], string> = {
  start: 'circle',
  end: 'doublecircle',
  task: 'box',
  choice: 'diamond',
  wait: 'ellipse',
  pass: 'box',
  succeed: 'box',
  fail: 'octagon',
  fork: 'trapezium',
  join: 'invtrapezium',
};

function nodeLine(node: GraphNode): string {
  const parts = [node.label];
  if (node.detail) parts.push(node.detail);
  if (node.visits && node.visits > 1) parts.push(`×${node.visits}`);
  if (node.retries) parts.push(`↻ ${node.retries} retr${node.retries === 1 ? 'y' : 'ies'}`);
  if (node.failed) parts.push('✗ failed');
  const attrs = [`label=${quote(parts.join('\n'))}`, `shape=${SHAPES[node.kind]}`];
  if (node.kind === 'task' || node.kind === 'pass' || node.kind === 'succeed') attrs.push('style=rounded');
  if (node.failed) attrs.push('style=filled', 'fillcolor="#f8d7da"', 'color="#dc3545"', 'penwidth=2');
  else if (node.retries) attrs.push('style=filled', 'fillcolor="#fff3cd"', 'color="#d39e00"', 'penwidth=2');
  else if (node.visits) attrs.push('style=filled', 'fillcolor="#d4edda"', 'color="#28a745"', 'penwidth=2');
  return `${node.id} [${attrs.join(', ')}];`;
}

export function renderDot(graph: FlowGraph): string {
  const lines = [`digraph ${quote(graph.title)} {`, '  rankdir=TB;', '  node [fontname="Helvetica"]; edge [fontname="Helvetica", fontsize=10];'];
  const emit = (cluster: string | undefined, indent: string): void => {
    for (const node of graph.nodes.filter((n) => n.cluster === cluster)) lines.push(`${indent}${nodeLine(node)}`);
    for (const child of graph.clusters.filter((c) => c.parent === cluster)) {
      lines.push(`${indent}subgraph cluster_${child.id} {`, `${indent}  label=${quote(child.label)}; style=rounded;`);
      emit(child.id, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(undefined, '  ');
  for (const edge of graph.edges) {
    const attrs: string[] = [];
    if (edge.label) attrs.push(`label=${quote(edge.label)}`);
    if (edge.kind === 'catch') attrs.push('style=dashed', 'color="#dc3545"', 'fontcolor="#dc3545"');
    if (edge.kind === 'default') attrs.push('style=dotted');
    if (edge.taken) attrs.push('color="#28a745"', 'penwidth=3');
    lines.push(`  ${edge.from} -> ${edge.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
