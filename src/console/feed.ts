/**
 * The live feed: server-sent events to every open page. Execution events come from the local CloudFlow API's
 * subscription; the router interfaces and fault rules are snapshots sent when they change (their statuses advance
 * when read, so they are read after every task and on a short timer while a page is open).
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorControl } from '../emulator/control';
import type { ExecutionStore } from '../emulator/cloudflow/executions';
import type { FeedMessages, InterfaceRow } from './protocol';

/** How often open pages get the interfaces re-read: statuses that advance on the clock show within this. */
const SNAPSHOT_INTERVAL_MS = 500;
const KEEP_ALIVE_MS = 15_000;

export function interfaceRows(control: EmulatorControl): InterfaceRow[] {
  return control.state().interfaces.map((ri) => ({
    routerInterfaceId: ri.routerInterfaceId,
    regionId: ri.regionId,
    role: ri.role,
    status: ri.status,
    spec: ri.spec,
    businessStatus: ri.businessStatus,
    routerId: ri.routerId,
    ...(ri.oppositeInterfaceId ? { oppositeInterfaceId: ri.oppositeInterfaceId } : {}),
  }));
}

export class Feed {
  private readonly clients = new Set<ServerResponse>();
  private readonly last = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly control: EmulatorControl,
    executions: ExecutionStore | undefined,
  ) {
    this.unsubscribe =
      executions?.subscribe((change) => {
        // The page lists what ListExecutions lists: a distributed Map's sub-executions are not sent (a fleet has up to 200),
        // but what their tasks change in the VPC is.
        if (change.parent) {
          if (change.event?.type === 'TaskSucceeded' || change.event?.type === 'TaskFailed') this.refresh();
          return;
        }
        this.send('execution', { flowName: change.flowName, name: change.name, status: change.status, ...(change.event ? { event: change.event } : {}) });
        // A task has called the API (or the run ended): show what it changed now rather than at the next tick.
        if (!change.event || change.event.type === 'TaskSucceeded' || change.event.type === 'TaskFailed') this.refresh();
      }) ?? (() => undefined);
  }

  /** Opens the event stream on `res`; it stays open until the page goes away or the console stops. */
  open(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.idle();
    });
    // A new page gets the current snapshots at once (and the others too, if they changed since the last tick).
    this.sendIfChanged('interfaces', { interfaces: interfaceRows(this.control) }, res);
    this.sendIfChanged('faults', { faults: this.control.faults() }, res);
    this.timer ??= setInterval(() => this.refresh(), SNAPSHOT_INTERVAL_MS).unref();
    this.keepAlive ??= setInterval(() => this.comment('keep-alive'), KEEP_ALIVE_MS).unref();
  }

  /** Sends the interfaces and the fault rules to every page when they differ from what was sent last. */
  refresh(): void {
    if (this.clients.size === 0) return;
    this.sendIfChanged('interfaces', { interfaces: interfaceRows(this.control) });
    this.sendIfChanged('faults', { faults: this.control.faults() });
  }

  close(): void {
    this.unsubscribe();
    this.idle();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private idle(): void {
    clearInterval(this.timer);
    clearInterval(this.keepAlive);
    this.timer = undefined;
    this.keepAlive = undefined;
    this.last.clear();
  }

  /** To every page when it changed; otherwise to `newcomer` only, when given. */
  private sendIfChanged<K extends 'interfaces' | 'faults'>(type: K, data: FeedMessages[K], newcomer?: ServerResponse): void {
    const text = JSON.stringify(data);
    const message = `event: ${type}\ndata: ${text}\n\n`;
    if (this.last.get(type) === text) {
      newcomer?.write(message);
      return;
    }
    this.last.set(type, text);
    for (const res of this.clients) res.write(message);
  }

  private send<K extends keyof FeedMessages>(type: K, data: FeedMessages[K]): void {
    const text = JSON.stringify(data);
    for (const res of this.clients) res.write(`event: ${type}\ndata: ${text}\n\n`);
  }

  private comment(text: string): void {
    for (const res of this.clients) res.write(`: ${text}\n\n`);
  }
}
