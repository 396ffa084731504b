/**
 * The console page: pick a workflow and see its graph, start an execution from a checked JSON input, follow it live
 * on the graph (or replay a past one), stop it, and watch the emulator's interfaces and fault rules.
 */
import type { FlowGraph } from '../../cli/graph/model';
import type { FaultRule } from '../../emulator/types';
import type { HistoryEvent } from '../../flow/history';
import type { ExecutionDetail, ExecutionSummary, FeedMessages, FlowInfo } from '../protocol';
import { ApiFailure, get, post, remove } from './api';
import { byId } from './dom';
import { GraphView } from './graph-view';
import { checkInput, locateField } from './input-editor';
import { renderDetails, renderExecutions, renderFaults, renderInterfaces } from './panels';
import { graphFromJson, picture, type RunPicture } from './run-state';

const REPLAY_STEP_MS = 120;
const EXAMPLE_FAULT = { action: 'ConnectRouterInterface', calls: '0-', error: { code: 'Forbidden.BillsOutstanding', status: 400 } };

interface Selected {
  flowName: string;
  name: string;
  source: ExecutionSummary['source'];
  status: string;
  events: Map<number, HistoryEvent>;
}

const ui = {
  endpoint: byId('endpoint'),
  feedStatus: byId('feed-status'),
  flowSelect: byId<HTMLSelectElement>('flow-select'),
  flowFile: byId('flow-file'),
  runTitle: byId('run-title'),
  runStatus: byId('run-status'),
  runError: byId('run-error'),
  stop: byId<HTMLButtonElement>('stop-button'),
  replay: byId<HTMLInputElement>('replay'),
  play: byId<HTMLButtonElement>('play-button'),
  graph: byId('graph'),
  startForm: byId<HTMLFormElement>('start-form'),
  name: byId<HTMLInputElement>('execution-name'),
  input: byId<HTMLTextAreaElement>('input-editor'),
  inputError: byId('input-error'),
  demoInput: byId<HTMLButtonElement>('demo-input-button'),
  details: byId('state-details'),
  executions: byId('executions'),
  interfaces: byId('interfaces').querySelector('tbody') as HTMLElement,
  faults: byId('faults'),
  faultForm: byId<HTMLFormElement>('fault-form'),
  faultEditor: byId<HTMLTextAreaElement>('fault-editor'),
  faultError: byId('fault-error'),
  clearFaults: byId<HTMLButtonElement>('clear-faults-button'),
};

const state = {
  flows: [] as FlowInfo[],
  graphs: new Map<string, FlowGraph>(),
  flow: undefined as FlowInfo | undefined,
  executions: [] as ExecutionSummary[],
  selected: undefined as Selected | undefined,
  /** Events the feed brought for executions not (yet) selected, by `flow/name`. */
  buffers: new Map<string, Map<number, HistoryEvent>>(),
  /** The last status the feed reported, by `flow/name` (it can arrive before a detail request answers). */
  statuses: new Map<string, string>(),
  /** Replay position (events shown); undefined follows the end. */
  position: undefined as number | undefined,
  playing: undefined as number | undefined,
  run: undefined as RunPicture | undefined,
};

const graphView = new GraphView(ui.graph, { onSelect: () => renderSelectedState() });
const key = (flowName: string, name: string): string => `${flowName}/${name}`;

function sortedEvents(selected: Selected): HistoryEvent[] {
  return [...selected.events.values()].sort((a, b) => a.seq - b.seq);
}

function showFlow(flowName: string, withDemoInput: boolean): void {
  const flow = state.flows.find((candidate) => candidate.name === flowName);
  if (!flow) return;
  const changed = state.flow?.name !== flow.name;
  state.flow = flow;
  ui.flowSelect.value = flow.name;
  ui.flowFile.textContent = flow.file;
  if (changed) graphView.show(flow.graph);
  if (withDemoInput) setDemoInput();
  renderRun();
}

function setDemoInput(): void {
  if (!state.flow) return;
  ui.input.value = JSON.stringify(state.flow.demoInput, null, 2);
  clearInputProblem();
}

function clearInputProblem(): void {
  ui.inputError.textContent = '';
  ui.input.removeAttribute('aria-invalid');
}

function showInputProblem(message: string, field: string, at?: { offset: number; length: number; line: number }): void {
  const where = at ?? locateField(ui.input.value, field);
  ui.inputError.textContent = `Line ${where.line}: ${message}`;
  ui.inputError.dataset.field = field;
  ui.input.setAttribute('aria-invalid', 'true');
  ui.input.focus();
  ui.input.setSelectionRange(where.offset, where.offset + where.length);
}

function renderRun(): void {
  const selected = state.selected;
  const graph = state.flow ? state.graphs.get(state.flow.name) : undefined;
  if (!selected || !graph || selected.flowName !== state.flow?.name) {
    state.run = undefined;
    graphView.mark(undefined);
    ui.runTitle.textContent = 'No execution selected';
    ui.runStatus.textContent = '';
    ui.runStatus.className = 'badge';
    ui.runError.hidden = true;
    ui.stop.disabled = true;
    ui.replay.disabled = true;
    ui.play.disabled = true;
    renderSelectedState();
    return;
  }
  const events = sortedEvents(selected);
  const position = state.position === undefined ? events.length : Math.min(state.position, events.length);
  state.run = picture(graph, events.slice(0, position));
  graphView.mark(state.run);
  ui.runTitle.textContent = selected.name;
  ui.runStatus.textContent = selected.status;
  ui.runStatus.className = `badge status-${selected.status}`;
  ui.stop.disabled = !(selected.source === 'cloudflow' && selected.status === 'Running');
  ui.replay.disabled = events.length === 0;
  ui.play.disabled = events.length === 0;
  ui.replay.max = String(events.length);
  ui.replay.value = String(position);
  ui.replay.setAttribute('aria-valuetext', `${position} of ${events.length} events`);
  const ended = state.run.ended;
  if (ended && ended.type !== 'ExecutionSucceeded') {
    const caught = state.run.caughtCause;
    const text = ended.type === 'ExecutionStopped'
      ? `Stopped: ${ended.reason ?? ''}`
      : `${ended.error ?? 'Failed'}: ${ended.cause ?? ''}${caught ? ` — caught at ${caught.state}: ${caught.error}: ${caught.cause.split('\n')[0] ?? ''}` : ''}`;
    ui.runError.textContent = text;
    ui.runError.hidden = false;
  } else {
    ui.runError.hidden = true;
  }
  renderSelectedState();
}

function renderSelectedState(): void {
  const id = graphView.selectedNode;
  const node = state.flow?.graph.nodes.find((candidate) => candidate.id === id);
  renderDetails(ui.details, node?.label, id ? (state.run?.visits.get(id) ?? []) : []);
}

function renderExecutionList(): void {
  renderExecutions(ui.executions, state.executions, state.selected?.name, (execution) => void pickExecution(execution));
}

async function refreshExecutions(): Promise<void> {
  state.executions = (await get<{ executions: ExecutionSummary[] }>('executions')).executions;
  renderExecutionList();
}

async function pickExecution(execution: ExecutionSummary): Promise<void> {
  if (execution.problem) {
    state.selected = undefined;
    renderRun();
    ui.runTitle.textContent = execution.name;
    ui.runError.textContent = `The history file .riflow/executions/${execution.name}.ndjson is corrupt${execution.problem.line ? ` at line ${execution.problem.line}` : ''}: ${execution.problem.message}`;
    ui.runError.hidden = false;
    return;
  }
  const path = execution.source === 'cloudflow'
    ? `executions/${encodeURIComponent(execution.flowName)}/${encodeURIComponent(execution.name)}`
    : `history/${encodeURIComponent(execution.name)}`;
  let detail: ExecutionDetail;
  try {
    detail = await get<ExecutionDetail>(path);
  } catch (error) {
    ui.runError.textContent = error instanceof Error ? error.message : String(error);
    ui.runError.hidden = false;
    return;
  }
  const id = key(detail.flowName, detail.name);
  const events = new Map<number, HistoryEvent>(detail.events.map((event) => [event.seq, event]));
  for (const [seq, event] of state.buffers.get(id) ?? []) events.set(seq, event);
  // The run may have ended while the detail was on its way: the feed's word is the newer one.
  const fed = state.statuses.get(id);
  const status = detail.status === 'Running' && fed && fed !== 'Running' ? fed : detail.status;
  state.selected = { flowName: detail.flowName, name: detail.name, source: detail.source, status, events };
  stopPlaying();
  state.position = undefined;
  showFlow(detail.flowName, false);
  renderRun();
  renderExecutionList();
}

function stopPlaying(): void {
  if (state.playing !== undefined) window.clearInterval(state.playing);
  state.playing = undefined;
  ui.play.textContent = 'Play';
}

function play(): void {
  if (state.playing !== undefined) return stopPlaying();
  const selected = state.selected;
  if (!selected) return;
  const total = selected.events.size;
  state.position = 0;
  ui.play.textContent = 'Pause';
  renderRun();
  state.playing = window.setInterval(() => {
    const next = (state.position ?? total) + 1;
    state.position = next >= total ? undefined : next;
    if (state.position === undefined) stopPlaying();
    renderRun();
  }, REPLAY_STEP_MS);
}

async function startExecution(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const flow = state.flow;
  if (!flow) return;
  const check = checkInput(flow.name, ui.input.value);
  if (!check.ok) return showInputProblem(check.problem.message, check.problem.field, check.problem);
  clearInputProblem();
  const name = ui.name.value.trim();
  try {
    const started = await post<ExecutionSummary>('executions', { flow: flow.name, input: check.input, ...(name ? { name } : {}) });
    ui.name.value = '';
    await pickExecution(started);
    await refreshExecutions();
  } catch (error) {
    if (error instanceof ApiFailure && error.body.field) {
      if (error.body.field === 'name') {
        ui.inputError.textContent = error.body.message;
        ui.name.setAttribute('aria-invalid', 'true');
        ui.name.focus();
        return;
      }
      return showInputProblem(error.body.message, error.body.field);
    }
    ui.inputError.textContent = error instanceof Error ? error.message : String(error);
  }
}

async function stopExecution(): Promise<void> {
  const selected = state.selected;
  if (!selected) return;
  ui.stop.disabled = true;
  try {
    const stopped = await post<{ status: string }>(`executions/${encodeURIComponent(selected.flowName)}/${encodeURIComponent(selected.name)}/stop`);
    selected.status = stopped.status;
    renderRun();
  } catch (error) {
    ui.runError.textContent = error instanceof Error ? error.message : String(error);
    ui.runError.hidden = false;
  }
}

async function addFault(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  ui.faultError.textContent = '';
  ui.faultEditor.removeAttribute('aria-invalid');
  let rule: unknown;
  try {
    rule = JSON.parse(ui.faultEditor.value);
  } catch (error) {
    ui.faultError.textContent = `not valid JSON: ${(error as Error).message}`;
    ui.faultEditor.setAttribute('aria-invalid', 'true');
    return;
  }
  try {
    await post<{ faults: FaultRule[] }>('faults', rule);
    showFaults((await get<{ faults: FaultRule[] }>('faults')).faults);
  } catch (error) {
    ui.faultError.textContent = error instanceof Error ? error.message : String(error);
    ui.faultEditor.setAttribute('aria-invalid', 'true');
  }
}

function showFaults(faults: FaultRule[]): void {
  renderFaults(ui.faults, faults, (id) => {
    void remove<{ faults: FaultRule[] }>(`faults/${encodeURIComponent(id)}`).then(({ faults: left }) => showFaults(left));
  });
}

let listRefresh: number | undefined;
function refreshListSoon(): void {
  if (listRefresh !== undefined) return;
  listRefresh = window.setTimeout(() => {
    listRefresh = undefined;
    void refreshExecutions();
  }, 150);
}

function onExecutionMessage(message: FeedMessages['execution']): void {
  const id = key(message.flowName, message.name);
  const selected = state.selected;
  const isSelected = selected !== undefined && key(selected.flowName, selected.name) === id;
  if (message.event) {
    const buffer = state.buffers.get(id) ?? new Map<number, HistoryEvent>();
    buffer.set(message.event.seq, message.event);
    state.buffers.set(id, buffer);
    if (isSelected) selected.events.set(message.event.seq, message.event);
  }
  if (message.status !== 'Running' || !state.statuses.has(id)) state.statuses.set(id, message.status);
  if (isSelected && (message.status !== 'Running' || selected.status === 'Running')) selected.status = message.status;
  if (isSelected) renderRun();
  const listed = state.executions.find((execution) => execution.name === message.name && execution.flowName === message.flowName);
  if (!listed || listed.status !== message.status) refreshListSoon();
}

function openFeed(): void {
  const feed = new EventSource('/_console/api/events');
  feed.addEventListener('open', () => {
    ui.feedStatus.textContent = 'live';
    ui.feedStatus.className = 'feed live';
  });
  feed.addEventListener('error', () => {
    ui.feedStatus.textContent = 'reconnecting…';
    ui.feedStatus.className = 'feed down';
  });
  feed.addEventListener('execution', (event) => onExecutionMessage(JSON.parse((event as MessageEvent<string>).data) as FeedMessages['execution']));
  feed.addEventListener('interfaces', (event) => renderInterfaces(ui.interfaces, (JSON.parse((event as MessageEvent<string>).data) as FeedMessages['interfaces']).interfaces));
  feed.addEventListener('faults', (event) => showFaults((JSON.parse((event as MessageEvent<string>).data) as FeedMessages['faults']).faults));
}

async function main(): Promise<void> {
  ui.endpoint.textContent = window.location.origin;
  ui.faultEditor.value = JSON.stringify(EXAMPLE_FAULT);
  const { flows } = await get<{ flows: FlowInfo[] }>('flows');
  state.flows = flows;
  for (const flow of flows) {
    state.graphs.set(flow.name, graphFromJson(flow.graph));
    const option = document.createElement('option');
    option.value = flow.name;
    option.textContent = flow.name;
    ui.flowSelect.append(option);
  }
  ui.flowSelect.addEventListener('change', () => showFlow(ui.flowSelect.value, true));
  ui.startForm.addEventListener('submit', (event) => void startExecution(event));
  ui.input.addEventListener('input', clearInputProblem);
  ui.name.addEventListener('input', () => ui.name.removeAttribute('aria-invalid'));
  ui.demoInput.addEventListener('click', setDemoInput);
  ui.stop.addEventListener('click', () => void stopExecution());
  ui.play.addEventListener('click', play);
  ui.replay.addEventListener('input', () => {
    stopPlaying();
    const value = Number(ui.replay.value);
    state.position = value >= Number(ui.replay.max) ? undefined : value;
    renderRun();
  });
  ui.faultForm.addEventListener('submit', (event) => void addFault(event));
  ui.clearFaults.addEventListener('click', () => void remove<{ faults: FaultRule[] }>('faults').then(({ faults }) => showFaults(faults)));
  if (flows[0]) showFlow(flows[0].name, true);
  openFeed();
  await refreshExecutions();
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  ui.runError.textContent = `The console could not load: ${error instanceof Error ? error.message : String(error)}`;
  ui.runError.hidden = false;
});
