import { GatewayErrors } from '../errors';
import type { ActionRequest } from '../products';
import type { EmulatorStore } from '../store';
import { settle } from '../transitions';
import type { RouterInterfaceRecord } from '../types';
import { KNOWN_REGIONS } from './specs';
import { VpcErrors, type VpcAction } from './vpc-errors';

/** Parameters every RPC call carries that are not business input (left out of ClientToken fingerprints). */
const COMMON_PARAMS = new Set([
  'AccessKeyId', 'Action', 'Format', 'Signature', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion',
  'SignatureType', 'SecurityToken', 'Timestamp', 'Version', 'ClientToken',
]);

/** Helpers shared by the VPC actions: parameter access, lookups and idempotency. */
export class VpcCall {
  readonly now: number;

  constructor(
    readonly store: EmulatorStore,
    readonly request: ActionRequest,
    readonly action: VpcAction,
  ) {
    this.now = store.clock.now();
  }

  param(name: string): string | undefined {
    const value = this.request.params[name];
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.param(name);
    if (value === undefined) throw GatewayErrors.missing(name);
    return value;
  }

  /** RegionId is required by all eight actions and must be a region we know. */
  region(): string {
    const regionId = this.required('RegionId');
    if (!this.isKnownRegion(regionId)) throw VpcErrors.regionNotFound(this.action);
    return regionId;
  }

  isKnownRegion(regionId: string): boolean {
    return KNOWN_REGIONS.includes(regionId) || this.store.state.routers.some((router) => router.regionId === regionId);
  }

  findInterface(id: string | undefined): RouterInterfaceRecord | undefined {
    return id === undefined ? undefined : this.store.state.interfaces.find((ri) => ri.routerInterfaceId === id);
  }

  /**
   * The caller's interface named by RouterInterfaceId in the region, settled to now. Another account's interface
   * gets the action's owner error; a missing one (or one in another region) the action's not-found error.
   */
  ownInterface(regionId: string): RouterInterfaceRecord {
    const id = this.required('RouterInterfaceId');
    const ri = this.findInterface(id);
    if (!ri || ri.regionId !== regionId) throw VpcErrors.interfaceNotFound(this.action);
    if (ri.ownerId !== this.request.account.id) throw VpcErrors.ownerError(this.action);
    if (settle(this.store.state, ri, this.store.config, this.now, 'read')) this.store.markChanged();
    // Settling may have finished a deletion.
    if (!this.store.state.interfaces.includes(ri)) throw VpcErrors.interfaceNotFound(this.action);
    return ri;
  }

  /**
   * Runs `apply` once per ClientToken: a repeat with the same business parameters returns the first response
   * without changing anything; a repeat with different ones is refused. No token: just runs.
   */
  idempotent(apply: () => Record<string, unknown>): Record<string, unknown> {
    const token = this.param('ClientToken');
    if (!token) return apply();
    const key = `${this.request.account.id}/${this.action}/${token}`;
    const fingerprint = JSON.stringify(
      Object.entries(this.request.params)
        .filter(([name]) => !COMMON_PARAMS.has(name))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const previous = this.store.state.clientTokens[key];
    if (previous) {
      if (previous.fingerprint !== fingerprint) throw VpcErrors.idempotentMismatch();
      return structuredClone(previous.response);
    }
    const response = apply();
    this.store.state.clientTokens[key] = { fingerprint, response: structuredClone(response) };
    this.store.markChanged();
    return response;
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
