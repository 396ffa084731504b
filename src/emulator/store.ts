import { realClock, type Clock } from '../flow/clock';
import type { AccessKeyRecord, AccountRecord, EmulatorConfig, EmulatorState } from './types';

/**
 * The emulator's mutable world: state, configuration, clock and random source. `version` grows on every change
 * so the state-file writer can tell what it has already saved.
 */
export class EmulatorStore {
  version = 0;
  private keyIndex = new Map<string, { account: AccountRecord; key: AccessKeyRecord }>();
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

  replaceState(state: EmulatorState): void {
    this.state = state;
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
