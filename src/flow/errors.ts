/** A runtime error as CloudFlow names it: `name` is what Retry/Catch `Errors` match, `message` is the detail. */
export class FlowError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * The execution ends now: stopped (`stop()`, the caller's signal), timed out (the flow `Timeout`), or failed by a
 * limit that ends it (`error` names it). Never retried or caught.
 */
export class ExecutionAborted extends Error {
  constructor(
    readonly kind: 'stopped' | 'timedOut' | 'failed',
    message: string,
    readonly error?: string,
  ) {
    super(message);
    this.name = 'ExecutionAborted';
  }
}

/** Turns anything thrown by a task or an expression into a named error, keeping `name` and `message`. */
export function toFlowError(thrown: unknown, fallbackName: string): FlowError {
  if (thrown instanceof FlowError) return thrown;
  if (thrown instanceof Error) {
    const name = typeof thrown.name === 'string' && thrown.name !== '' ? thrown.name : fallbackName;
    return new FlowError(name, thrown.message);
  }
  return new FlowError(fallbackName, typeof thrown === 'string' ? thrown : safeStringify(thrown));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One problem found while loading a definition. `path` is like `States[2].Retry[0].IntervalSeconds`. */
export interface ValidationProblem {
  path: string;
  line: number;
  column: number;
  state?: string;
  field: string;
  message: string;
}

export function formatProblem(problem: ValidationProblem, file?: string): string {
  const where = `${file ? `${file}:` : ''}${problem.line}:${problem.column}`;
  const state = problem.state ? ` state "${problem.state}"` : '';
  return `${where}${state} ${problem.field}: ${problem.message}`;
}

/** Every problem of a definition at once (and the warnings found on the way, for tools that show both). */
export class FlowValidationError extends Error {
  constructor(
    readonly problems: ValidationProblem[],
    readonly file?: string,
    readonly warnings: ValidationProblem[] = [],
  ) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file ?? 'the flow definition'}:\n` +
        problems.map((p) => `  ${formatProblem(p, file)}`).join('\n'),
    );
    this.name = 'FlowValidationError';
  }
}
