import type { RouterInterfaceStatus } from '../vpc-api/statuses';
import type { EmulatorConfig, EmulatorState, RouterInterfaceRecord, TransientStatus } from './types';

/**
 * Lazy status machine (moto's ManagedState): a transient status is not advanced by a timer but when the interface
 * is read. A read by DescribeRouterInterfaces counts as a "describe"; reads by other actions and the control API
 * only settle what is due by time. AcceptingConnecting has no timer of its own: it follows its initiator.
 */

const SETTLES_TO: Partial<Record<RouterInterfaceStatus, RouterInterfaceStatus | 'removed'>> = {
  Connecting: 'Active',
  Activating: 'Active',
  Modifying: 'Active',
  Deactivating: 'Inactive',
  Deleting: 'removed',
};

export type ReadKind = 'describe' | 'read';

function isTransient(status: RouterInterfaceStatus): status is TransientStatus {
  return status in SETTLES_TO;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Enters a transient (or settled) status now. */
export function enterStatus(ri: RouterInterfaceRecord, status: RouterInterfaceStatus, now: number): void {
  ri.status = status;
  if (isTransient(status)) ri.pending = { since: now, describes: 0 };
  else delete ri.pending;
}

function isDue(ri: RouterInterfaceRecord, config: EmulatorConfig, now: number, kind: ReadKind): boolean {
  if (!isTransient(ri.status) || !ri.pending) return true;
  const timing = config.transitions[ri.status];
  switch (timing.mode) {
    case 'immediate':
      return true;
    case 'delay':
      return now - ri.pending.since >= timing.ms;
    case 'describes':
      // The first `count` describes show the transient status; the next one shows the settled one.
      if (kind !== 'describe') return false;
      if (ri.pending.describes >= timing.count) return true;
      ri.pending.describes += 1;
      return false;
  }
}

function findById(state: EmulatorState, id: string | undefined): RouterInterfaceRecord | undefined {
  return id === undefined ? undefined : state.interfaces.find((ri) => ri.routerInterfaceId === id);
}

/**
 * Settles `ri` (and, for a pair, its peer) if its transient status is due. Returns true when something changed.
 * `counted` prevents one describe from counting the same pending transition twice (initiator and acceptor listed).
 */
export function settle(
  state: EmulatorState,
  ri: RouterInterfaceRecord,
  config: EmulatorConfig,
  now: number,
  kind: ReadKind,
  counted: Set<RouterInterfaceRecord> = new Set(),
): boolean {
  if (ri.status === 'AcceptingConnecting') {
    const initiator = findById(state, ri.oppositeInterfaceId);
    if (initiator?.status === 'Connecting') return settle(state, initiator, config, now, kind, counted);
    // The initiator vanished or was reset by hand: the acceptor falls back to Idle rather than hanging.
    enterStatus(ri, initiator ? 'Active' : 'Idle', now);
    return true;
  }
  const target = SETTLES_TO[ri.status];
  if (!target) return false;
  const countedKind = counted.has(ri) ? 'read' : kind;
  counted.add(ri);
  if (!isDue(ri, config, now, countedKind)) return false;
  if (target === 'removed') {
    state.interfaces.splice(state.interfaces.indexOf(ri), 1);
    return true;
  }
  if (ri.status === 'Connecting') {
    const connectedTime = formatTime(now);
    ri.connectedTime = connectedTime;
    const acceptor = findById(state, ri.oppositeInterfaceId);
    if (acceptor?.status === 'AcceptingConnecting') {
      enterStatus(acceptor, 'Active', now);
      acceptor.connectedTime = connectedTime;
    }
  }
  enterStatus(ri, target, now);
  return true;
}

/** Settles everything due by time (no describe counting); used before whole-state reads and writes. */
export function settleAll(state: EmulatorState, config: EmulatorConfig, now: number): boolean {
  let changed = false;
  for (const ri of [...state.interfaces]) {
    if (state.interfaces.includes(ri) && settle(state, ri, config, now, 'read')) changed = true;
  }
  return changed;
}
