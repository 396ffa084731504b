/**
 * The three APIs a parity probe talks to, the same way whichever side answers: the real cloud (`--record`) or the
 * twin (the emulator, whose CloudFlow API runs the interpreter and whose FC API runs the local FC runtime). The CLI
 * builds them over the real clients (pop-core for the RPC APIs, @alicloud/fc2 for FC) and real signatures; a
 * probe sees raw answers, HTTP status included, never an interpreted error.
 */

/** An RPC answer: the HTTP status and the parsed JSON body (error bodies included; undefined when not JSON). */
export interface RpcAnswer {
  httpStatus: number;
  body: unknown;
}

/** A Function Compute invocation answer. An FC API error (4xx/5xx) is an answer too, with its `ErrorCode` body. */
export interface FcAnswer {
  httpStatus: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export type RpcParams = Readonly<Record<string, string>>;

export interface ParityApis {
  /** The VPC API (2016-04-28). `signWith: 'wrong-secret'` signs with a secret that is not the key's. */
  vpc(action: string, params: RpcParams, options?: { signWith?: 'wrong-secret' }): Promise<RpcAnswer>;
  /** CloudFlow's API (2019-03-15). */
  cloudflow(action: string, params: RpcParams): Promise<RpcAnswer>;
  /** Invokes an FC 3.0 function synchronously with `event` as its body. */
  invokeFunction(functionName: string, event: string): Promise<FcAnswer>;
}

/** Where the probes run and how patiently they wait. */
export interface ProbeContext {
  apis: ParityApis;
  /** The region every VPC call names. */
  region: string;
  /** A router interface the user allows the wrong-status probe to call a refused action on; absent: that case is skipped. */
  testPair?: string;
  /** Unique per run, so execution names never repeat (CloudFlow keeps a name after its execution ends). */
  runId: string;
  /** Between two reads of a running execution, and the most one execution may take. */
  poll: { intervalMs: number; timeoutMs: number };
  /** Waits on the real clock (the executions themselves run on whatever clock their side uses). */
  sleep(ms: number): Promise<void>;
}
