import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { holdTimeDuringTasks, realClock, type Clock } from '../flow/clock';
import { CallLog } from './call-log';
import { defaultConfig, mergeConfig } from './config';
import { createControl, handleControl, type EmulatorControl } from './control';
import { FaultInjector, parseFaultRule } from './faults';
import { RpcGateway } from './gateway';
import { sendJson } from './http-io';
import { Mutex } from './mutex';
import { NonceCache } from './nonce-cache';
import { ProductRegistry, type ProductDefinition } from './products';
import { RateLimiter } from './rate-limiter';
import { Router, type RestRoute } from './routes';
import { DEMO_SEED, EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, stateFromSeed } from './seed';
import { StateFileWriter, loadStateFile, removeStaleTempFiles } from './state-file';
import { EmulatorStore } from './store';
import type { EmulatorConfigPatch, FaultRule, SeedDocument } from './types';
import { createVpcProduct } from './vpc/product';
import type { CloudFlowPolicy } from '../flow/policy';
import type { LocalFcPolicy } from '../local-fc/policy';
import type { FunctionEnvironment } from '../local-fc/handler-module';
import { createLocalFc } from '../local-fc/runtime';
import { createFcTaskInvoker } from '../local-fc/task-invoker';
import { createLocalCloudFlow, type LocalCloudFlow } from './cloudflow/index';
import { handlerEnvironment } from './handler-env';
import { createFcInvocationRoutes } from './fc/index';

export type { CallRecord, EmulatorConfigPatch, FaultRule, SeedDocument, TransitionTiming } from './types';
export type { EmulatorControl } from './control';
export type { ProductDefinition } from './products';
export type { RestRoute } from './routes';
export { REALISTIC_TRANSITIONS } from './config';
export { StateFileError } from './state-file';
export {
  DEMO_ACCOUNT_ID,
  DEMO_SEED,
  EMULATOR_ACCESS_KEY_ID,
  EMULATOR_ACCESS_KEY_SECRET,
  EMULATOR_STS_ACCESS_KEY_ID,
  EMULATOR_STS_ACCESS_KEY_SECRET,
  EMULATOR_STS_SECURITY_TOKEN,
} from './seed';
export { handlerEnvironment } from './handler-env';
export { DEMO_ACCEPTOR_ID, DEMO_INITIATOR_ID, DEMO_REGION, connectedPairsSeed, demoPairSeed } from './seed-builders';

export interface StartEmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'demo' (DEMO_SEED). Ignored when `stateFile` already exists. */
  seed?: SeedDocument | 'demo';
  /** Business time: transitions, creation times, rate-limit windows. Default: the real clock. */
  clock?: Clock;
  /** The time clients sign with (timestamp window, nonce replay window, injected latency). Default: the real clock. */
  wallClock?: Clock;
  /** Source for fault probabilities and generated ids; default Math.random. */
  random?: () => number;
  config?: EmulatorConfigPatch;
  faults?: FaultRule[];
  /** Persist state here after every change; loaded on start when it exists. */
  stateFile?: string;
  log?: (line: string) => void;
  /**
   * Also serve CloudFlow's execution API (2019-03-15) for the flows this s.yaml deploys, running them with the
   * local interpreter and the handler bundles s.yaml points at — which call back into this emulator.
   */
  cloudflow?: {
    sYamlPath: string;
    workflowsDir: string;
    historyDir?: string;
    /** Journal every execution in this folder; on start, resume the unfinished ones (docs/durability.md). */
    stateDir?: string;
    /** fdatasync each journal before a task call and before an end is reported (default true). */
    fsync?: boolean;
    /** Writes a journal line's text (default: write() until all is written). A test hook: the chaos test kills the
     * process in the middle of one. */
    writeJournalText?: (fd: number, text: string) => void;
  };
  /**
   * Also serve Function Compute's invocation API (FC 3.0 `/2023-03-30/functions/{name}/invocations` and FC 2.0
   * `/2016-08-15/services/{svc}/functions/{name}/invocations`, fc2's signature verified) for the functions this
   * s.yaml deploys, running the handler bundles in-process against this emulator.
   */
  functions?: { sYamlPath: string; policy?: LocalFcPolicy };
  /**
   * The choices where the docs are silent, for both faces that run flows and functions: the interpreter's
   * (`cloudflow`, default CLOUDFLOW_POLICY) and the local FC runtime's (`localFc`, default LOCAL_FC_POLICY; the
   * FC face's own `functions.policy` wins). A policy file (`riflow.policy.json`) is read into these by the CLI.
   */
  policy?: { cloudflow?: CloudFlowPolicy; localFc?: LocalFcPolicy };
  /**
   * Added to the environment of every function the emulator runs (the CloudFlow API's tasks and the FC paths), under
   * FC's own variables and s.yaml's: e.g. `RIFLOW_HANDLER_LOG: 'off'`.
   */
  functionEnvironment?: FunctionEnvironment;
  /**
   * Runs first for every request on the port; a guard that answers the request itself returns false and nothing
   * else runs (the console's Host and Origin checks).
   */
  requestGuard?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Serve HTTPS with this PEM key and certificate instead of plain HTTP (the handler benchmark measures its floor
   * over TLS, as the cloud endpoints are). `url` then starts with https://.
   */
  tls?: { key: string; cert: string };
}

export interface EmulatorCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:41234 (https:// with `tls`; no trailing slash): the endpoint for pop-core. */
  url: string;
  port: number;
  /** The seed's first permanent key (the default keys with the demo seed). */
  credentials: EmulatorCredentials;
  /** The seed's first temporary key, when it has one. */
  stsCredentials?: EmulatorCredentials & { securityToken: string };
  control: EmulatorControl;
  /** Adds an RPC product (e.g. CloudFlow 2019-03-15) served at `/` with the same signatures and checks. */
  registerProduct(product: ProductDefinition): void;
  /** Adds a non-RPC path prefix (e.g. FC REST invocation). */
  addRoute(route: RestRoute): void;
  /** The local CloudFlow API's executions, when started with `cloudflow`. */
  cloudflow?: LocalCloudFlow;
  stop(): Promise<void>;
}

function seedCredentials(seed: SeedDocument): Pick<RunningEmulator, 'credentials' | 'stsCredentials'> {
  const keys = seed.accounts[0]?.accessKeys ?? [];
  const permanent = keys.find((key) => !key.securityToken);
  const temporary = keys.find((key) => key.securityToken);
  return {
    credentials: permanent
      ? { accessKeyId: permanent.accessKeyId, accessKeySecret: permanent.accessKeySecret }
      : { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET },
    ...(temporary?.securityToken
      ? { stsCredentials: { accessKeyId: temporary.accessKeyId, accessKeySecret: temporary.accessKeySecret, securityToken: temporary.securityToken } }
      : {}),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the emulator over HTTP. Rejects with StateFileError (bad state file) or InvalidInputError (bad seed/config). */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const config = mergeConfig(defaultConfig(), options.config ?? {});
  const initialSeed = !options.seed || options.seed === 'demo' ? DEMO_SEED : options.seed;
  const now = new Date(clock.now());

  let state = options.stateFile ? await loadStateFile(options.stateFile, now) : undefined;
  const loadedFromFile = state !== undefined;
  if (options.stateFile) await removeStaleTempFiles(options.stateFile);
  state ??= stateFromSeed(initialSeed, now);

  const store = new EmulatorStore(state, config, clock, random, options.wallClock ?? realClock);
  const stateFile = options.stateFile;
  const writer = stateFile ? new StateFileWriter(stateFile, () => ({ version: store.version, state: store.state }), log) : undefined;
  const persist = (): Promise<void> => (writer ? writer.flush() : Promise.resolve());
  if (writer && !loadedFromFile) {
    store.markChanged();
    await persist();
  }

  const registry = new ProductRegistry();
  registry.register(createVpcProduct(store));
  const calls = new CallLog(() => store.config.callLogLimit);
  const faults = new FaultInjector(random);
  for (const [index, rule] of (options.faults ?? []).entries()) faults.add(parseFaultRule(rule, `faults[${index}]`));
  const nonces = new NonceCache();
  const limiter = new RateLimiter();
  const mutex = new Mutex();
  const control = createControl({
    store, calls, faults, nonces, limiter, mutex, persist, initialSeed: () => initialSeed, startedAt: Date.now(),
  });
  const gateway = new RpcGateway({ store, registry, nonces, limiter, faults, calls, mutex, persist, log });
  const router = new Router(
    (req, res, subpath) => handleControl(control, req, res, subpath),
    (req, res) => gateway.handle(req, res),
  );

  const guard = options.requestGuard;
  const onRequest: RequestListener = (req, res) => {
    if (guard && !guard(req, res)) return;
    router.dispatch(req, res).catch((error: unknown) => {
      log(`emulator: ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'internal error' });
    });
  };
  const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`;
  log(`emulator: listening on ${url}`);
  const credentials = seedCredentials(initialSeed);
  const functionEnvironment = options.functionEnvironment ?? {};
  let cloudflow: LocalCloudFlow | undefined;
  // Whatever fails from here on (an unreadable s.yaml for the CloudFlow or FC face), no server stays open behind it.
  try {
    const faces: FaceSettings = {
      url,
      credentials: credentials.credentials,
      environment: functionEnvironment,
      clock,
      log,
      ...(options.policy ?? {}),
      executionAlreadyExistsStatus: () => store.config.executionAlreadyExistsStatus,
    };
    cloudflow = options.cloudflow && serveCloudFlow(options.cloudflow, faces);
    if (cloudflow) {
      registry.register(cloudflow.product);
      // The server listens already: resumed tasks call the handlers, which call back into it.
      cloudflow.executions.resume();
    }
    if (options.functions) {
      const routes = createFcInvocationRoutes({
        sYamlPath: options.functions.sYamlPath,
        store,
        emulatorUrl: url,
        credentials: credentials.credentials,
        log,
        environment: functionEnvironment,
        ...((options.functions.policy ?? options.policy?.localFc) ? { policy: options.functions.policy ?? options.policy?.localFc } : {}),
      });
      for (const route of routes) router.addRoute(route);
    }
  } catch (error) {
    cloudflow?.executions.stopAll('the emulator failed to start');
    await closeServer(server);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    ...credentials,
    ...(cloudflow ? { cloudflow } : {}),
    control,
    registerProduct: (product) => registry.register(product),
    addRoute: (route) => router.addRoute(route),
    stop() {
      cloudflow?.executions.stopAll('the emulator stopped');
      // A failed final save is logged by the writer; stopping goes on.
      stopped ??= closeServer(server).then(() => persist().catch(() => undefined));
      return stopped;
    },
  };
}

/** What the CloudFlow face needs of the running emulator. */
interface FaceSettings {
  url: string;
  credentials: EmulatorCredentials;
  environment: FunctionEnvironment;
  clock: Clock;
  log: (line: string) => void;
  cloudflow?: CloudFlowPolicy;
  localFc?: LocalFcPolicy;
  executionAlreadyExistsStatus: () => number;
}

/** The local CloudFlow API: its tasks run the s.yaml handlers in-process, pointed back at this emulator. */
function serveCloudFlow(options: NonNullable<StartEmulatorOptions['cloudflow']>, faces: FaceSettings): LocalCloudFlow {
  const { url, credentials, environment, clock, log } = faces;
  const fc = createLocalFc({
    sYamlPath: options.sYamlPath,
    variables: handlerEnvironment(url, credentials),
    credentials,
    environment,
    log,
    ...(faces.localFc ? { policy: faces.localFc } : {}),
  });
  const invoker = createFcTaskInvoker(fc, faces.cloudflow ? { policy: faces.cloudflow } : {});
  return createLocalCloudFlow({
    sYamlPath: options.sYamlPath,
    workflowsDir: options.workflowsDir,
    invokeTask: holdTimeDuringTasks(invoker, clock),
    clock,
    ...(options.historyDir ? { historyDir: options.historyDir } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir, fsync: options.fsync ?? true } : {}),
    ...(options.writeJournalText ? { writeJournalText: options.writeJournalText } : {}),
    log,
    ...(faces.cloudflow ? { policy: faces.cloudflow } : {}),
    settings: { executionAlreadyExistsStatus: faces.executionAlreadyExistsStatus },
  });
}
