/**
 * The terminal view of an execution: one line per thing worth seeing — a state starting and ending (elapsed time),
 * the interface status each poll observed, retries with their reason and wait, failures and where a Catch sent
 * them. Append-only lines, so it reads the same in a terminal, a CI log or a replay.
 */
import type { HistoryEvent } from '../../flow/history';
import { styles, type Styles } from '../terminal';
import { formatDuration, toMillis } from './format';
import { observedStatus } from './events';

/** State types whose start is worth a line (the others start and end in the same instant). */
const SLOW_TYPES = new Set(['Task', 'Parallel', 'Map']);
const NAME_WIDTH = 22;

interface Visit {
  type: string;
  enteredAt: number;
  taskOutput?: unknown;
}

export class LiveView {
  private readonly style: Styles;
  private startedAt: number | undefined;
  private readonly visits = new Map<string, Visit>();
  /** States entered and not yet left, oldest first: where a stop happened. */
  private readonly open: string[] = [];
  private lastStateLeft: string | undefined;

  constructor(
    private readonly write: (line: string) => void,
    color: boolean,
  ) {
    this.style = styles(color);
  }

  /** The states running when the execution ended (empty when it finished normally). */
  get activeStates(): string[] {
    return [...this.open];
  }

  get lastState(): string | undefined {
    return this.open[this.open.length - 1] ?? this.lastStateLeft;
  }

  onEvent(event: HistoryEvent): void {
    const time = toMillis(event.time);
    this.startedAt ??= time;
    const key = event.scope ? `${event.scope}/${event.state ?? ''}` : (event.state ?? '');
    const label = event.scope ? `${event.scope} › ${event.state ?? ''}` : (event.state ?? '');
    const s = this.style;
    switch (event.type) {
      case 'StateEntered': {
        this.visits.set(key, { type: event.stateType, enteredAt: time });
        this.open.push(key);
        if (SLOW_TYPES.has(event.stateType)) this.line(time, s.cyan('▸'), label, s.dim(event.stateType === 'Task' ? 'started' : event.stateType));
        return;
      }
      case 'StateStarted':
        if (event.waitSeconds !== undefined) this.line(time, s.cyan('⏲'), label, `waiting ${event.waitSeconds}s`);
        return;
      case 'TaskSucceeded': {
        const visit = this.visits.get(key);
        if (visit) visit.taskOutput = event.output;
        return;
      }
      case 'StateRetrying':
        this.line(time, s.yellow('↻'), label, s.yellow(`retry ${event.attempt} in ${event.waitSeconds}s after ${event.error}`) + s.dim(` — ${causeText(event.error, event.cause)}`));
        return;
      case 'StateSucceeded': {
        const visit = this.leave(key);
        const detail = this.successDetail(visit, event.next, time);
        const mark = visit?.type === 'Choice' ? s.dim('◆') : s.green('✓');
        this.line(time, mark, label, detail);
        return;
      }
      case 'StateFailed': {
        const visit = this.leave(key);
        const elapsed = visit && SLOW_TYPES.has(visit.type) ? `${formatDuration(time - visit.enteredAt)}  ` : '';
        const caught = event.caughtBy ? s.yellow(`  → caught, next ${event.caughtBy}`) : '';
        this.line(time, s.red('✗'), label, `${elapsed}${s.red(event.error)}: ${causeText(event.error, event.cause)}${caught}`);
        return;
      }
      case 'StateAborted':
        this.leave(key);
        this.lastStateLeft = key;
        this.line(time, s.yellow('■'), label, s.yellow(`stopped here (${event.reason})`));
        return;
      case 'MapRunStarted':
        this.line(time, s.cyan('⇉'), label, `map run ${event.mapRunName.slice(0, 8)}: ${event.executions} sub-execution${event.executions === 1 ? '' : 's'} for ${event.items} item${event.items === 1 ? '' : 's'}, ${event.maxConcurrency} at once`);
        return;
      case 'MapRunEnded': {
        const { succeeded, failed, aborted, total } = event.executions;
        const counts = `${succeeded} of ${total} succeeded${failed ? `, ${failed} failed` : ''}${aborted ? `, ${aborted} aborted` : ''}`;
        const mark = event.status === 'Succeeded' ? s.green('⇉') : s.red('⇉');
        this.line(time, mark, label, `map run ${event.mapRunName.slice(0, 8)} ${event.status.toLowerCase()}: ${counts}`);
        return;
      }
      case 'ExecutionStarted':
        if (event.parent) this.note(event.time, event.execution, `sub-execution ${event.parent.index} of ${event.parent.execution} (${event.parent.state})`);
        return;
      default:
        return;
    }
  }

  /** A plain line for an event the view does not model (a CloudFlow event type or detail it cannot read). */
  note(time: string | number, label: string, detail: string): void {
    const at = toMillis(time);
    if (Number.isFinite(at)) this.startedAt ??= at;
    this.line(at, this.style.dim('·'), label, this.style.dim(detail));
  }

  private leave(key: string): Visit | undefined {
    const index = this.open.lastIndexOf(key);
    if (index >= 0) this.open.splice(index, 1);
    this.lastStateLeft = key;
    return this.visits.get(key);
  }

  private successDetail(visit: Visit | undefined, next: string | undefined, time: number): string {
    const s = this.style;
    const parts: string[] = [];
    if (visit && visit.type !== 'Choice' && visit.type !== 'Pass') parts.push(formatDuration(time - visit.enteredAt));
    const observed = observedStatus(visit?.taskOutput);
    if (observed) {
      const poll = observed.attempt !== undefined ? ` · poll ${observed.attempt}` : '';
      parts.push(`status ${s.bold(observed.status)}${poll}`);
    } else if (visit?.taskOutput !== undefined) {
      const changed = changedFlag(visit.taskOutput);
      if (changed !== undefined) parts.push(changed ? 'changed' : 'already done (changed=false)');
    }
    if (next && visit?.type === 'Choice') parts.push(`→ ${next}`);
    return parts.join(s.dim('  '));
  }

  private line(time: number, mark: string, label: string, detail: string): void {
    const elapsed = formatDuration(time - (this.startedAt ?? time)).padStart(7);
    const name = label.length >= NAME_WIDTH ? `${label} ` : label.padEnd(NAME_WIDTH);
    this.write(`${this.style.dim(elapsed)}  ${mark} ${name} ${detail}`.trimEnd() + '\n');
  }
}

/**
 * The cause's first line, without a leading repeat of the error name ("FnF.X: …" → "…"). A handler error's cause
 * starts with the API code, which stays: "StatusConflict — IncorrectStatus (HTTP 400): …".
 */
function causeText(error: string, cause: string): string {
  const line = firstLine(cause);
  return line.startsWith(error) ? line.replace(/^[^:]*:\s*/, '') : line;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function changedFlag(output: unknown): boolean | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const body = (output as { Body?: unknown }).Body;
  const changed = typeof body === 'object' && body !== null ? (body as { changed?: unknown }).changed : undefined;
  return typeof changed === 'boolean' ? changed : undefined;
}
