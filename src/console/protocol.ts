/**
 * The JSON the console's server sends its page: one definition for both sides (the page bundles these types only).
 * Every payload is versioned by the page it ships with: they are built together.
 */
import type { FlowGraph } from '../cli/graph/model';
import type { HistoryEvent } from '../flow/history';
import type { FaultRule } from '../emulator/types';

/** `FlowGraph` with its index as a plain object (a Map does not survive JSON). */
export type GraphJson = Omit<FlowGraph, 'index'> & { index: Record<string, string> };

export interface FlowInfo {
  name: string;
  /** The workflow file, relative to the project. */
  file: string;
  description?: string;
  graph: GraphJson;
  /** The demo seed's input for this flow (prefilled in the editor). */
  demoInput: Record<string, unknown>;
}

export type ExecutionSource = 'cloudflow' | 'file';

export interface ExecutionSummary {
  name: string;
  flowName: string;
  status: string;
  startedTime?: string;
  stoppedTime?: string;
  /** `cloudflow`: known to the local CloudFlow API (ListExecutions); `file`: only in .riflow/executions. */
  source: ExecutionSource;
  /** A history file that could not be read: where it broke. */
  problem?: { line?: number; message: string };
}

export interface ExecutionDetail extends ExecutionSummary {
  input?: string;
  output?: string;
  events: HistoryEvent[];
}

export interface InterfaceRow {
  routerInterfaceId: string;
  regionId: string;
  role: string;
  status: string;
  spec: string;
  businessStatus: string;
  routerId: string;
  oppositeInterfaceId?: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; rule?: string; line?: number };
}

/** Messages on the feed (server-sent events, `event:` = the key). */
export interface FeedMessages {
  execution: { flowName: string; name: string; status: string; event?: HistoryEvent };
  interfaces: { interfaces: InterfaceRow[] };
  faults: { faults: FaultRule[] };
}
