/** The workflows s.yaml deploys, each as the graph `riflow graph` draws, with the demo input for its editor. */
import { relative } from 'node:path';
import { buildGraph } from '../cli/graph/model';
import { demoInput } from '../cli/demo';
import { RIFLOW_FLOWS } from '../cloudflow/workflow-input';
import { createFlowRegistry } from '../emulator/cloudflow/flows';
import type { CloudFlowPolicy } from '../flow/policy';
import type { FlowInfo, GraphJson } from './protocol';
import type { FlowGraph } from '../cli/graph/model';

function graphToJson(graph: FlowGraph): GraphJson {
  return { ...graph, index: Object.fromEntries(graph.index) };
}

/** What the demo seed's initiator takes for each kind of flow. */
function demoInputFor(flowName: string): Record<string, unknown> {
  const single = demoInput();
  const kind = (RIFLOW_FLOWS as Record<string, string | undefined>)[flowName];
  if (kind === 'interface') return { regionId: single.regionId, routerInterfaceId: single.routerInterfaceId };
  if (kind === 'batch') return { changes: [single] };
  if (kind === 'fleet') return { regionId: single.regionId, spec: single.spec, routerInterfaceIds: [single.routerInterfaceId] };
  return { ...single };
}

export async function loadFlowInfos(sYamlPath: string, workflowsDir: string, projectDir: string, policy?: CloudFlowPolicy): Promise<FlowInfo[]> {
  const registry = createFlowRegistry({ sYamlPath, workflowsDir, ...(policy ? { policy } : {}) });
  const infos: FlowInfo[] = [];
  for (const name of await registry.names()) {
    const { flow } = await registry.load(name);
    infos.push({
      name,
      file: flow.sourcePath ? relative(projectDir, flow.sourcePath) : name,
      ...(flow.description ? { description: flow.description } : {}),
      graph: graphToJson(buildGraph(flow)),
      demoInput: demoInputFor(name),
    });
  }
  return infos;
}
