import type { EmulatorStore } from '../../store';
import { settle } from '../../transitions';
import type { AccountRecord, EmulatorState, RouterInterfaceRecord } from '../../types';
import { VpcErrors, type VpcAction } from '../errors';
import { KNOWN_REGIONS } from './regions';

/** What every VPC action's rules read: the store at one instant, the calling account, and which action this is. */
export class VpcWorld {
  readonly now: number;

  constructor(
    readonly store: EmulatorStore,
    readonly account: AccountRecord,
    readonly action: VpcAction,
  ) {
    this.now = store.clock.now();
  }

  get state(): EmulatorState {
    return this.store.state;
  }

  isKnownRegion(regionId: string): boolean {
    return KNOWN_REGIONS.includes(regionId) || this.state.routers.some((router) => router.regionId === regionId);
  }

  findInterface(id: string | undefined): RouterInterfaceRecord | undefined {
    return id === undefined ? undefined : this.store.findInterface(id);
  }

  /**
   * The caller's interface `id` in the region, settled to now. Another account's interface gets the action's owner
   * error; a missing one (or one in another region) the action's not-found error.
   */
  ownInterface(regionId: string, id: string): RouterInterfaceRecord {
    const ri = this.findInterface(id);
    if (!ri || ri.regionId !== regionId) throw VpcErrors.interfaceNotFound(this.action);
    if (ri.ownerId !== this.account.id) throw VpcErrors.ownerError(this.action);
    if (settle(this.state, ri, this.store.config, this.now, 'read')) this.store.markChanged();
    // Settling may have finished a deletion.
    if (!this.state.interfaces.includes(ri)) throw VpcErrors.interfaceNotFound(this.action);
    return ri;
  }

  newInterfaceId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      let id = 'ri-';
      for (let i = 0; i < 21; i += 1) id += alphabet[Math.floor(this.store.random() * alphabet.length) % alphabet.length];
      if (!this.findInterface(id)) return id;
    }
  }
}
