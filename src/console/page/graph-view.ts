/**
 * Draws a workflow's graph (the model `riflow graph` renders as Mermaid or DOT) as SVG, laid out by dagre, and
 * marks a run on it: visited states, edges taken, retries, caught and uncaught errors, the states running now.
 * Layout happens once per workflow; marking only changes classes and badges.
 */
import { graphlib, layout } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../../cli/graph/model';
import type { GraphJson } from '../protocol';
import { svg } from './dom';
import type { RunPicture } from './run-state';

const NODE_HEIGHT = 44;
const LABEL_MAX = 26;
const CHAR_WIDTH = 7;

export interface GraphViewOptions {
  /** A state was chosen (click, Enter or Space). */
  onSelect: (nodeId: string) => void;
}

interface DrawnNode {
  group: SVGGElement;
  badge: SVGTextElement;
  node: GraphNode;
}

function shorten(text: string, max = LABEL_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function nodeSize(node: GraphNode): { width: number; height: number } {
  if (node.kind === 'start' || node.kind === 'end') return { width: 34, height: 34 };
  if (node.kind === 'join') return { width: 60, height: 24 };
  const longest = Math.max(node.label.length, shorten(node.detail ?? '').length);
  const width = Math.max(96, longest * CHAR_WIDTH + 28);
  return node.kind === 'choice' ? { width: width + 40, height: NODE_HEIGHT + 16 } : { width, height: NODE_HEIGHT };
}

function describeKind(node: GraphNode): string {
  const kinds: Record<GraphNode['kind'], string> = {
    start: 'start', end: 'end', task: 'Task', choice: 'Choice', wait: 'Wait', pass: 'Pass', succeed: 'Succeed', fail: 'Fail', fork: 'Parallel or Map', join: 'join',
  };
  return kinds[node.kind];
}

function shape(node: GraphNode, width: number, height: number): SVGElement {
  const [x, y] = [-width / 2, -height / 2];
  switch (node.kind) {
    case 'start':
    case 'end':
      return svg('circle', { r: width / 2, class: 'shape' });
    case 'choice':
      return svg('polygon', { points: `0,${y} ${-x},0 0,${-y} ${x},0`, class: 'shape' });
    case 'wait':
      return svg('rect', { x, y, width, height, rx: height / 2, class: 'shape' });
    default:
      return svg('rect', { x, y, width, height, rx: node.kind === 'fail' ? 2 : 8, class: 'shape' });
  }
}

/** Choice conditions are drawn on their edges; Catch error lists only in the edge's tooltip (they would widen the graph). */
function drawnLabel(edge: GraphEdge): string {
  return edge.label && edge.kind !== 'catch' ? shorten(edge.label, 30) : '';
}

function edgePath(points: Array<{ x: number; y: number }>): string {
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
}

export class GraphView {
  private readonly drawn = new Map<string, DrawnNode>();
  private readonly edges: Array<{ path: SVGPathElement; edge: GraphEdge }> = [];
  private svgRoot: SVGSVGElement | undefined;
  private selected: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: GraphViewOptions,
  ) {}

  show(graph: GraphJson): void {
    this.drawn.clear();
    this.edges.length = 0;
    this.selected = undefined;
    const g = new graphlib.Graph({ compound: true, multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 34, edgesep: 10, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const cluster of graph.clusters) g.setNode(cluster.id, { width: 0, height: 0, label: cluster.label, paddingTop: 24 });
    for (const cluster of graph.clusters) if (cluster.parent) g.setParent(cluster.id, cluster.parent);
    for (const node of graph.nodes) {
      g.setNode(node.id, { ...nodeSize(node) });
      if (node.cluster) g.setParent(node.id, node.cluster);
    }
    // Workflows end in many Fail states, which dagre would put in one very wide row: every other one goes a row
    // higher (a longer edge from it to the end), so the graph stays about half as wide and its text readable.
    const raised = new Set(graph.nodes.filter((node) => node.kind === 'fail').filter((_, index) => index % 2 === 1).map((node) => node.id));
    graph.edges.forEach((edge, index) => {
      const label = drawnLabel(edge);
      g.setEdge(edge.from, edge.to, { width: label.length * 6, height: label ? 14 : 0, labelpos: 'c', minlen: raised.has(edge.from) ? 2 : 1 }, String(index));
    });
    layout(g);

    const size = g.graph();
    const root = svg('svg', {
      class: 'flow-graph',
      viewBox: `0 0 ${Math.ceil(size.width ?? 400)} ${Math.ceil(size.height ?? 300)}`,
      role: 'group',
      'aria-label': `States of ${graph.title}`,
    });
    const defs = svg('defs');
    for (const kind of ['plain', 'taken', 'catch']) {
      defs.append(svg('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow arrow-${kind}` })));
    }
    root.append(defs);

    for (const cluster of graph.clusters) {
      const box = g.node(cluster.id);
      const x = (box.x ?? 0) - box.width / 2;
      const y = (box.y ?? 0) - box.height / 2;
      root.append(svg('g', { class: 'cluster' }, svg('rect', { x, y, width: box.width, height: box.height, rx: 10 }), svg('text', { x: x + 10, y: y + 16 }, cluster.label)));
    }

    const edgeLayer = svg('g', { class: 'edges' });
    graph.edges.forEach((edge, index) => {
      const laid = g.edge(edge.from, edge.to, String(index));
      const path = svg('path', { d: edgePath(laid.points ?? []), class: `edge edge-${edge.kind}`, 'marker-end': `url(#arrow-${edge.kind === 'catch' ? 'catch' : 'plain'})` });
      if (edge.label) path.append(svg('title', {}, edge.label));
      edgeLayer.append(path);
      this.edges.push({ path, edge });
      const label = drawnLabel(edge);
      if (label && laid.x !== undefined && laid.y !== undefined) {
        edgeLayer.append(svg('text', { x: laid.x, y: laid.y + 4, class: `edge-label edge-label-${edge.kind}`, 'text-anchor': 'middle' }, label));
      }
    });
    root.append(edgeLayer);

    for (const node of graph.nodes) {
      const box = g.node(node.id);
      const interactive = node.kind !== 'start' && node.kind !== 'end' && node.kind !== 'join';
      const group = svg('g', {
        class: `node node-${node.kind}`,
        transform: `translate(${(box.x ?? 0).toFixed(1)},${(box.y ?? 0).toFixed(1)})`,
        'data-node-id': node.id,
        'data-state': node.label,
      });
      group.append(shape(node, box.width, box.height));
      const label = node.kind === 'start' || node.kind === 'end' ? '' : node.label;
      if (label) group.append(svg('text', { class: 'label', y: node.detail ? -3 : 4, 'text-anchor': 'middle' }, label));
      if (node.detail) group.append(svg('text', { class: 'detail', y: 13, 'text-anchor': 'middle' }, shorten(node.detail)));
      const badge = svg('text', { class: 'badge-text', x: box.width / 2 - 4, y: -box.height / 2 - 4, 'text-anchor': 'end' });
      group.append(badge);
      if (interactive) {
        group.setAttribute('tabindex', '0');
        group.setAttribute('role', 'button');
        group.addEventListener('click', () => this.select(node.id));
        group.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this.select(node.id);
          }
        });
      }
      root.append(group);
      this.drawn.set(node.id, { group, badge, node });
      this.label(node.id, undefined);
    }
    // Scaled to the panel's width, never above its natural size (text stays readable on wide screens).
    root.style.maxWidth = `${Math.ceil(size.width ?? 400)}px`;
    this.container.replaceChildren(root);
    this.svgRoot = root;
  }

  select(nodeId: string): void {
    if (this.selected) this.drawn.get(this.selected)?.group.classList.remove('selected');
    this.selected = nodeId;
    this.drawn.get(nodeId)?.group.classList.add('selected');
    this.options.onSelect(nodeId);
  }

  get selectedNode(): string | undefined {
    return this.selected;
  }

  /** Marks a run (or clears the marks with `undefined`). */
  mark(run: RunPicture | undefined): void {
    if (!this.svgRoot) return;
    const overlaid = new Map((run?.graph.nodes ?? []).map((node) => [node.id, node]));
    for (const [id, drawn] of this.drawn) {
      const node = overlaid.get(id);
      const classes = drawn.group.classList;
      classes.toggle('visited', Boolean(node?.visits));
      classes.toggle('retried', Boolean(node?.retries));
      classes.toggle('failed', Boolean(node?.failed));
      classes.toggle('caught', Boolean(run?.caught.has(id)));
      classes.toggle('current', Boolean(run?.current.has(id)));
      classes.toggle('aborted', Boolean(run?.aborted.has(id)));
      const badges: string[] = [];
      if (node?.visits && node.visits > 1) badges.push(`×${node.visits}`);
      if (node?.retries) badges.push(`↻${node.retries}`);
      const caught = run?.caught.get(id);
      if (node?.failed || caught) badges.push('✗');
      drawn.badge.textContent = badges.join(' ');
      this.label(id, run);
    }
    const taken = run?.graph.edges ?? [];
    this.edges.forEach(({ path, edge }, index) => {
      const isTaken = Boolean(taken[index]?.taken);
      path.classList.toggle('taken', isTaken);
      path.setAttribute('marker-end', `url(#arrow-${isTaken ? 'taken' : edge.kind === 'catch' ? 'catch' : 'plain'})`);
    });
  }

  /** The accessible name: the state, its kind and what the run did there. */
  private label(id: string, run: RunPicture | undefined): void {
    const drawn = this.drawn.get(id);
    if (!drawn) return;
    const { node } = drawn;
    const overlaid = run?.graph.nodes.find((candidate) => candidate.id === id);
    const parts = [`${node.label}, ${describeKind(node)}${node.detail ? ` ${node.detail}` : ''}`];
    if (run?.current.has(id)) parts.push('running now');
    if (overlaid?.visits) parts.push(`visited ${overlaid.visits} time${overlaid.visits === 1 ? '' : 's'}`);
    if (overlaid?.retries) parts.push(`${overlaid.retries} retr${overlaid.retries === 1 ? 'y' : 'ies'}`);
    const caught = run?.caught.get(id);
    if (caught) parts.push(`error ${caught.error}, caught, next ${caught.caughtBy}`);
    if (overlaid?.failed) parts.push('failed');
    if (run?.aborted.has(id)) parts.push('stopped here');
    drawn.group.setAttribute('aria-label', parts.join('; '));
  }
}
