/**
 * `startConsole`: one server on 127.0.0.1 that is the emulator (VPC API, control API, local CloudFlow API, FC
 * invocation paths) and the console's page, JSON API and live feed under `/_console/`, behind a random token.
 */
import { dirname, join } from 'node:path';
import type { Clock } from '../flow/clock';
import type { CloudFlowPolicy } from '../flow/policy';
import type { LocalFcPolicy } from '../local-fc/policy';
import { startEmulator, type EmulatorConfigPatch, type FaultRule, type RunningEmulator, type SeedDocument } from '../emulator';
import { createConsoleCloudFlow } from './cloudflow-api';
import { Feed } from './feed';
import { loadFlowInfos } from './flows';
import type { FlowInfo } from './protocol';
import { CONSOLE_PREFIX, createConsoleRoutes } from './routes';
import { consoleRequestGuard, newToken } from './security';

export interface ConsoleOptions {
  /** The project's s.yaml: its flows are served and drawn, its functions run the tasks. */
  sYamlPath: string;
  /** Default `<s.yaml folder>/workflows`. */
  workflowsDir?: string;
  /** Where executions' histories are written and read (`.riflow/executions`). */
  historyDir: string;
  /** Journal the local CloudFlow API's executions here and resume the unfinished ones on start. */
  stateDir?: string;
  /** Keep the emulator's VPC state in this file across restarts (what resumed executions find again). */
  stateFile?: string;
  /** The built page (`dist/console`); default `<s.yaml folder>/dist/console`. */
  assetsDir?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default: a new random token. */
  token?: string;
  seed?: SeedDocument | 'demo';
  config?: EmulatorConfigPatch;
  faults?: FaultRule[];
  /** Business time of the emulator and the interpreter (a VirtualClock makes waits take no time). */
  clock?: Clock;
  log?: (line: string) => void;
  /** The interpreter's and the local FC runtime's policies (a policy file's, read by the CLI). */
  policy?: { cloudflow?: CloudFlowPolicy; localFc?: LocalFcPolicy };
}

export interface RunningConsole {
  /** `http://127.0.0.1:PORT`: the emulator's endpoint for signed clients. */
  url: string;
  /** The page, with its token: the URL to open. */
  consoleUrl: string;
  token: string;
  port: number;
  emulator: RunningEmulator;
  stop(): Promise<void>;
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const projectDir = dirname(options.sYamlPath);
  const workflowsDir = options.workflowsDir ?? join(projectDir, 'workflows');
  const token = options.token ?? newToken();
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: options.port ?? 0,
    seed: options.seed ?? 'demo',
    ...(options.config ? { config: options.config } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    cloudflow: { sYamlPath: options.sYamlPath, workflowsDir, historyDir: options.historyDir, ...(options.stateDir ? { stateDir: options.stateDir } : {}) },
    functions: { sYamlPath: options.sYamlPath },
    requestGuard: consoleRequestGuard,
  });
  // Every workflow is loaded (and validated) now: a broken one stops the start with its error.
  let flows: FlowInfo[];
  try {
    flows = await loadFlowInfos(options.sYamlPath, workflowsDir, projectDir, options.policy?.cloudflow);
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  const feed = new Feed(emulator.control, emulator.cloudflow?.executions);
  emulator.addRoute({
    prefix: CONSOLE_PREFIX,
    handle: createConsoleRoutes({
      token,
      assetsDir: options.assetsDir ?? join(projectDir, 'dist', 'console'),
      historyDir: options.historyDir,
      flows: async () => flows,
      cloudflow: createConsoleCloudFlow(emulator.url, emulator.credentials),
      executions: emulator.cloudflow?.executions,
      control: emulator.control,
      feed,
    }),
  });
  return {
    url: emulator.url,
    consoleUrl: `${emulator.url}${CONSOLE_PREFIX}?token=${token}`,
    token,
    port: emulator.port,
    emulator,
    async stop() {
      feed.close();
      await emulator.stop();
    },
  };
}
