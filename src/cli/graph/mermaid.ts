/** Mermaid `flowchart` text: Choice as diamonds with conditions on their edges, Catch edges dashed. */
import type { FlowGraph, GraphNode } from './model';

function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}

function nodeText(node: GraphNode): string {
  const parts = [escape(node.label)];
  if (node.detail) parts.push(`<small>${escape(node.detail)}</small>`);
  if (node.visits && node.visits > 1) parts.push(`×${node.visits}`);
  if (node.retries) parts.push(`↻ ${node.retries} retr${node.retries === 1 ? 'y' : 'ies'}`);
  if (node.failed) parts.push('✗ failed');
  const label = `"${parts.join('<br/>')}"`;
  switch (node.kind) {
    case 'start':
    case 'end':
      return `((${node.label}))`;
    case 'choice':
      return `{${label}}`;
    case 'wait':
      return `([${label}])`;
    case 'fail':
    case 'succeed':
      return `[[${label}]]`;
    case 'fork':
    case 'join':
      return `[/${label}/]`;
    default:
      return `[${label}]`;
  }
}

export function renderMermaid(graph: FlowGraph): string {
  const lines = ['flowchart TD', `  %% ${graph.title}`];
  const emit = (cluster: string | undefined, indent: string): void => {
    for (const node of graph.nodes.filter((n) => n.cluster === cluster)) lines.push(`${indent}${node.id}${nodeText(node)}`);
    for (const child of graph.clusters.filter((c) => c.parent === cluster)) {
      lines.push(`${indent}subgraph ${child.id}["${escape(child.label)}"]`);
      emit(child.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(undefined, '  ');
  const taken: number[] = [];
  graph.edges.forEach((edge, index) => {
    const label = edge.label ? `|"${escape(edge.label)}"|` : '';
    const arrow = edge.kind === 'catch' ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}${label} ${edge.to}`);
    if (edge.taken) taken.push(index);
  });
  const visited = graph.nodes.filter((node) => node.visits && !node.failed).map((node) => node.id);
  const failed = graph.nodes.filter((node) => node.failed).map((node) => node.id);
  const retried = graph.nodes.filter((node) => node.retries).map((node) => node.id);
  if (visited.length || failed.length) {
    lines.push('  classDef visited fill:#d4edda,stroke:#28a745,stroke-width:2px');
    lines.push('  classDef retried fill:#fff3cd,stroke:#d39e00,stroke-width:2px');
    lines.push('  classDef failed fill:#f8d7da,stroke:#dc3545,stroke-width:3px');
    if (visited.length) lines.push(`  class ${visited.join(',')} visited`);
    if (retried.length) lines.push(`  class ${retried.join(',')} retried`);
    if (failed.length) lines.push(`  class ${failed.join(',')} failed`);
  }
  if (taken.length) lines.push(`  linkStyle ${taken.join(',')} stroke:#28a745,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}
