/** The side panels: state details, executions, router interfaces, fault rules. Pure rendering from data. */
import type { FaultRule } from '../../emulator/types';
import type { ExecutionSummary, InterfaceRow } from '../protocol';
import { h, json } from './dom';
import type { Visit } from './run-state';

function pre(label: string, value: unknown): HTMLElement {
  return h('div', { class: 'kv' }, h('h4', {}, label), h('pre', {}, json(value)));
}

export function renderDetails(container: HTMLElement, stateName: string | undefined, visits: Visit[]): void {
  if (!stateName) {
    container.replaceChildren(h('p', { class: 'muted' }, 'Select a state on the graph.'));
    return;
  }
  const title = h('h3', {}, stateName);
  if (visits.length === 0) {
    container.replaceChildren(title, h('p', { class: 'muted' }, 'Not visited by this run.'));
    return;
  }
  const items = visits.map((visit, index) => {
    const parts: HTMLElement[] = [];
    if (visit.scope) parts.push(h('p', { class: 'muted' }, `in ${visit.scope}`));
    if (visit.error) {
      const caught = visit.error.caughtBy ? ` — caught, next ${visit.error.caughtBy}` : '';
      parts.push(h('div', { class: 'state-error', 'data-error': visit.error.error }, h('strong', {}, visit.error.error), caught, h('pre', {}, visit.error.cause)));
    }
    if (visit.abortedBecause) parts.push(h('p', { class: 'state-error' }, `Stopped here: ${visit.abortedBecause}`));
    if (visit.retries.length) {
      parts.push(
        h('div', { class: 'kv' }, h('h4', {}, `Retries (${visit.retries.length})`),
          h('ol', { class: 'retries' }, ...visit.retries.map((retry) => h('li', {}, `${retry.error} → retry ${retry.attempt} in ${retry.waitSeconds}s: ${retry.cause.split('\n')[0] ?? ''}`)))),
      );
    }
    if (visit.waitSeconds !== undefined) parts.push(h('p', {}, `Waited ${visit.waitSeconds}s`));
    parts.push(pre('Input', visit.input));
    if (visit.parameters !== undefined) parts.push(pre('Task parameters', visit.parameters));
    if (visit.output !== undefined) parts.push(pre('Output', visit.output));
    if (visit.next) parts.push(h('p', {}, `Next: ${visit.next}`));
    const summary = `Visit ${index + 1} of ${visits.length} · ${visit.enteredAt.slice(11, 23)}${visit.error ? ` · ${visit.error.error}` : ''}`;
    return h('details', { open: index === visits.length - 1 }, h('summary', {}, summary), ...parts);
  });
  container.replaceChildren(title, ...items);
}

export function renderExecutions(list: HTMLElement, executions: ExecutionSummary[], selected: string | undefined, onPick: (execution: ExecutionSummary) => void): void {
  if (executions.length === 0) {
    list.replaceChildren(h('li', { class: 'muted' }, 'None yet: start one above, or run riflow run --demo.'));
    return;
  }
  list.replaceChildren(
    ...executions.map((execution) => {
      const problem = execution.problem ? ` — corrupt${execution.problem.line ? ` at line ${execution.problem.line}` : ''}: ${execution.problem.message}` : '';
      const when = execution.startedTime ? execution.startedTime.replace('T', ' ').slice(0, 19) : '';
      const button = h(
        'button',
        { type: 'button', class: `execution status-${execution.status}`, 'aria-current': execution.name === selected ? 'true' : undefined, 'data-execution': execution.name },
        h('span', { class: 'name' }, execution.name),
        h('span', { class: 'meta' }, `${execution.flowName || '?'} · ${execution.status}${when ? ` · ${when}` : ''} · ${execution.source === 'file' ? '.riflow/executions' : 'CloudFlow API'}${problem}`),
      );
      button.addEventListener('click', () => onPick(execution));
      return h('li', {}, button);
    }),
  );
}

export function renderInterfaces(body: HTMLElement, rows: InterfaceRow[]): void {
  body.replaceChildren(
    ...rows.map((row) =>
      h('tr', { 'data-interface': row.routerInterfaceId },
        h('td', {}, h('code', {}, row.routerInterfaceId)),
        h('td', {}, row.role === 'InitiatingSide' ? 'initiator' : 'acceptor'),
        h('td', { class: `ri-status status-${row.status}` }, row.status),
        h('td', { class: 'ri-spec' }, row.spec),
        h('td', {}, row.oppositeInterfaceId ? h('code', {}, row.oppositeInterfaceId) : '—'),
      ),
    ),
  );
}

export function renderFaults(list: HTMLElement, faults: FaultRule[], onRemove: (id: string) => void): void {
  if (faults.length === 0) {
    list.replaceChildren(h('li', { class: 'muted' }, 'No fault rules: every call behaves.'));
    return;
  }
  list.replaceChildren(
    ...faults.map((rule) => {
      const { id, ...shown } = rule;
      const button = h('button', { type: 'button', 'aria-label': `Remove fault rule ${id ?? ''}` }, 'Remove');
      button.addEventListener('click', () => onRemove(id ?? ''));
      return h('li', { 'data-fault': id }, h('code', {}, JSON.stringify(shown)), button);
    }),
  );
}
