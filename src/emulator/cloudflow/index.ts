import type { Clock } from '../../flow/clock';
import type { CloudFlowPolicy } from '../../flow/policy';
import type { InvokeTask } from '../../flow/runtime';
import { ExecutionStore } from './executions';
import { createFlowRegistry } from './flows';
import { createCloudFlowProduct, type CloudFlowApiSettings } from './product';
import type { ProductDefinition } from '../products';


export interface LocalCloudFlowOptions {
  sYamlPath: string;
  workflowsDir: string;
  invokeTask: InvokeTask;
  clock: Clock;
  historyDir?: string;
  /** Journals every execution here and resumes the unfinished ones (`executions.resume()`). */
  stateDir?: string;
  /** fdatasync the journal before each task call and each reported end (default true). */
  fsync?: boolean;
  /** A test hook: writes a journal line's text. */
  writeJournalText?: (fd: number, text: string) => void;
  log?: (line: string) => void;
  /** The interpreter's choices where the docs are silent (default CLOUDFLOW_POLICY): loading, running, history. */
  policy?: CloudFlowPolicy;
  settings: CloudFlowApiSettings;
}

export interface LocalCloudFlow {
  product: ProductDefinition;
  executions: ExecutionStore;
}

/** The local CloudFlow execution API: register `product` on a running emulator (`registerProduct`). */
export function createLocalCloudFlow(options: LocalCloudFlowOptions): LocalCloudFlow {
  const policy = options.policy ? { policy: options.policy } : {};
  const flows = createFlowRegistry({ sYamlPath: options.sYamlPath, workflowsDir: options.workflowsDir, ...policy });
  const executions = new ExecutionStore({
    invokeTask: options.invokeTask,
    clock: options.clock,
    ...(options.historyDir ? { historyDir: options.historyDir } : {}),
    ...(options.stateDir
      ? { stateDir: options.stateDir, journal: { fsync: options.fsync ?? true, ...(options.writeJournalText ? { writeText: options.writeJournalText } : {}) } }
      : {}),
    ...(options.log ? { log: options.log } : {}),
    ...policy,
  });
  return { product: createCloudFlowProduct(flows, executions, options.settings), executions };
}
