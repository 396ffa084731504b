import type { Clock } from '../../flow/clock';
import type { InvokeTask } from '../../flow/runtime';
import { ExecutionStore } from './executions';
import { createFlowRegistry } from './flows';
import { createCloudFlowProduct } from './product';
import type { ProductDefinition } from '../products';


export interface LocalCloudFlowOptions {
  sYamlPath: string;
  workflowsDir: string;
  invokeTask: InvokeTask;
  clock: Clock;
  historyDir?: string;
}

export interface LocalCloudFlow {
  product: ProductDefinition;
  executions: ExecutionStore;
}

/** The local CloudFlow execution API: register `product` on a running emulator (`registerProduct`). */
export function createLocalCloudFlow(options: LocalCloudFlowOptions): LocalCloudFlow {
  const flows = createFlowRegistry({ sYamlPath: options.sYamlPath, workflowsDir: options.workflowsDir });
  const executions = new ExecutionStore({
    invokeTask: options.invokeTask,
    clock: options.clock,
    ...(options.historyDir ? { historyDir: options.historyDir } : {}),
  });
  return { product: createCloudFlowProduct(flows, executions), executions };
}
