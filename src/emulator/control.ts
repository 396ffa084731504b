import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log';
import { InvalidInputError } from '../input-error/invalid-input';
import { mergeConfig } from './config';
import { parseFaultRule, type FaultInjector } from './faults';
import { readBody, sendJson } from './http-io';
import type { Mutex } from './mutex';
import type { NonceCache } from './nonce-cache';
import type { RateLimiter } from './rate-limiter';
import { DEMO_SEED, stateFromSeed } from './seed';
import type { EmulatorStore } from './store';
import { settleAll } from './transitions';
import type { CallRecord, EmulatorConfig, EmulatorConfigPatch, EmulatorState, FaultRule, SeedDocument } from './types';

/** In-process access to what the `/_emulator/` control API offers. Invalid input throws InvalidInputError. */
export interface EmulatorControl {
  health(): { ok: true; interfaces: number; uptimeMs: number };
  /** A copy of the whole state, with statuses that are due by time settled. */
  state(): EmulatorState;
  /** Replaces the state (accounts, keys, routers, interfaces); also clears nonces and rate-limit buckets. */
  seed(seed: SeedDocument | 'demo'): Promise<void>;
  /** Back to the seed the emulator started with; clears calls, nonces, buckets and fault counters. */
  reset(): Promise<void>;
  calls(): CallRecord[];
  clearCalls(): void;
  /** Spec changes ModifyRouterInterfaceSpec applied, per interface, since the last seed or reset: what "applied once"
   * is counted by (requests are not: a ClientToken's repeat is answered without applying anything). */
  appliedSpecChanges(): Record<string, number>;
  faults(): FaultRule[];
  addFault(rule: FaultRule): FaultRule;
  removeFault(id: string): boolean;
  clearFaults(): void;
  config(): EmulatorConfig;
  updateConfig(patch: EmulatorConfigPatch): EmulatorConfig;
}

export interface ControlDeps {
  store: EmulatorStore;
  calls: CallLog;
  faults: FaultInjector;
  nonces: NonceCache;
  limiter: RateLimiter;
  mutex: Mutex;
  persist: () => Promise<void>;
  initialSeed: () => SeedDocument;
  startedAt: number;
}

export function createControl(deps: ControlDeps): EmulatorControl {
  const { store } = deps;
  const replace = async (seed: unknown): Promise<void> => {
    const state = stateFromSeed(seed, new Date(store.clock.now()));
    await deps.mutex.run(() => store.replaceState(state));
    deps.nonces.clear();
    deps.limiter.clear();
    await deps.persist();
  };
  return {
    health: () => ({ ok: true, interfaces: store.state.interfaces.length, uptimeMs: Date.now() - deps.startedAt }),
    state() {
      if (settleAll(store.state, store.config, store.clock.now())) store.markChanged();
      return structuredClone(store.state);
    },
    seed: (seed) => replace(seed === 'demo' ? DEMO_SEED : seed),
    async reset() {
      await replace(deps.initialSeed());
      deps.calls.clear();
      deps.faults.resetCounters();
    },
    calls: () => deps.calls.list(),
    clearCalls: () => deps.calls.clear(),
    appliedSpecChanges: () => Object.fromEntries(store.appliedSpecChanges),
    faults: () => deps.faults.list(),
    addFault: (rule) => deps.faults.add(parseFaultRule(rule)),
    removeFault: (id) => deps.faults.remove(id),
    clearFaults: () => deps.faults.clear(),
    config: () => structuredClone(store.config),
    updateConfig(patch) {
      store.config = mergeConfig(store.config, patch);
      return structuredClone(store.config);
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError('body', 'json', `not valid JSON (${(error as Error).message})`);
  }
}

/** `/_emulator/<path>`: JSON in and out, no signature. */
export async function handleControl(control: EmulatorControl, req: IncomingMessage, res: ServerResponse, subpath: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = `${method} ${subpath}`;
  try {
    if (route === 'GET health') return sendJson(res, 200, control.health());
    if (route === 'GET state') return sendJson(res, 200, control.state());
    if (route === 'POST seed') {
      const body = await readJson(req);
      await control.seed(body === 'demo' ? 'demo' : (body as SeedDocument));
      return sendJson(res, 200, { ok: true, interfaces: control.state().interfaces.length });
    }
    if (route === 'POST reset') {
      await control.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'GET calls') return sendJson(res, 200, { calls: control.calls() });
    if (route === 'GET applied') return sendJson(res, 200, { specChanges: control.appliedSpecChanges() });
    if (route === 'DELETE calls') {
      control.clearCalls();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'GET faults') return sendJson(res, 200, { faults: control.faults() });
    if (route === 'POST faults') {
      const body = await readJson(req);
      const rules = Array.isArray(body) ? body : [body];
      // Validate all before adding any, so a bad batch changes nothing.
      const parsed = rules.map((rule, index) => parseFaultRule(rule, Array.isArray(body) ? `faults[${index}]` : 'fault'));
      return sendJson(res, 200, { faults: parsed.map((rule) => control.addFault(rule)) });
    }
    if (route === 'DELETE faults') {
      control.clearFaults();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'DELETE' && subpath.startsWith('faults/')) {
      const id = decodeURIComponent(subpath.slice('faults/'.length));
      return control.removeFault(id) ? sendJson(res, 200, { ok: true }) : sendJson(res, 404, { error: `no fault rule ${id}` });
    }
    if (route === 'GET config') return sendJson(res, 200, control.config());
    if (route === 'PATCH config') return sendJson(res, 200, control.updateConfig((await readJson(req)) as EmulatorConfigPatch));
    return sendJson(res, 404, { error: `no control route ${method} /_emulator/${subpath}` });
  } catch (error) {
    if (error instanceof InvalidInputError) return sendJson(res, 400, { error: error.message, field: error.field });
    throw error;
  }
}
