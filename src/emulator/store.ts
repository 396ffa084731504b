import { realClock, type Clock } from '../flow/clock';
import type { AccessKeyRecord, AccountRecord, EmulatorConfig, EmulatorState, RouterInterfaceRecord, RouterRecord } from './types';

/** An id index over one of the state's lists; records are added and removed, never replaced in place, so the list's
 * identity and length say whether the index still holds. */
interface RecordIndex<T> {
  list: readonly T[];
  length: number;
  byId: Map<string, T>;
}

function fresh<T>(index: RecordIndex<T> | undefined, list: readonly T[], idOf: (record: T) => string): RecordIndex<T> {
  if (index && index.list === list && index.length === list.length) return index;
  return { list, length: list.length, byId: new Map(list.map((record) => [idOf(record), record])) };
}

/**
 * The emulator's mutable world: state, configuration, clock and random source. `version` grows on every change
 * so the state-file writer can tell what it has already saved.
 */
export class EmulatorStore {
  version = 0;
  /** Spec changes applied per interface (a ClientToken's repeat applies nothing, so it is not counted); kept in
   * memory, from the last seed or reset. */
  readonly appliedSpecChanges = new Map<string, number>();
  private keyIndex = new Map<string, { account: AccountRecord; key: AccessKeyRecord }>();
  private interfaceIndex: RecordIndex<RouterInterfaceRecord> | undefined;
  private routerIndex: RecordIndex<RouterRecord> | undefined;
  private readonly listeners = new Set<() => void>();

  /**
   * `clock` is business time (transitions, creation times, rate-limit windows: virtual in tests). `wallClock` is
   * the time clients sign with: request timestamps, nonce windows and injected latency always follow it, because
   * pop-core and the SDKs stamp requests with the real time whatever clock the emulator runs on.
   */
  constructor(
    public state: EmulatorState,
    public config: EmulatorConfig,
    readonly clock: Clock,
    readonly random: () => number,
    readonly wallClock: Clock = realClock,
  ) {
    this.reindex();
  }

  findAccessKey(accessKeyId: string): { account: AccountRecord; key: AccessKeyRecord } | undefined {
    return this.keyIndex.get(accessKeyId);
  }

  /** By id, without a scan: a fleet's describes and writes look interfaces and routers up thousands of times. */
  findInterface(id: string): RouterInterfaceRecord | undefined {
    this.interfaceIndex = fresh(this.interfaceIndex, this.state.interfaces, (ri) => ri.routerInterfaceId);
    return this.interfaceIndex.byId.get(id);
  }

  findRouter(id: string): RouterRecord | undefined {
    this.routerIndex = fresh(this.routerIndex, this.state.routers, (router) => router.id);
    return this.routerIndex.byId.get(id);
  }

  replaceState(state: EmulatorState): void {
    this.state = state;
    this.appliedSpecChanges.clear();
    this.reindex();
    this.markChanged();
  }

  markChanged(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private reindex(): void {
    this.keyIndex = new Map();
    for (const account of this.state.accounts) {
      for (const key of account.accessKeys) this.keyIndex.set(key.accessKeyId, { account, key });
    }
  }
}
