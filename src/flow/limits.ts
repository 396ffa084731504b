/**
 * Limits the cloud enforces, each one named value with the page that documents it. Refusals quote `what` and `page`
 * so that a user can check the rule at its source.
 */
export interface CloudFlowLimit {
  readonly value: number;
  /** What is counted, as a refusal message names it. */
  readonly what: string;
  /** The doc page that states the limit. */
  readonly page: string;
}

export const CLOUDFLOW_LIMITS = {
  // "A maximum of 10 layers of nested built-in functions" (2025 page); "a maximum of 10 nested function calls are
  // supported per expression" (2026 page). Both read as nesting depth: f(g(x)) is 2.
  nestedFunctionCalls: {
    value: 10,
    what: 'nested built-in function calls in one expression',
    page: 'https://help.aliyun.com/document_detail/2579872.html',
  },
} as const satisfies Record<string, CloudFlowLimit>;
