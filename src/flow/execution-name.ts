/**
 * CloudFlow's one rule for execution names, as StartExecution documents `ExecutionName`: 1–128 characters, a letter
 * or `_` first, then letters, digits, `_` or `-`, case-sensitive
 * (https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution). The
 * interpreter, the start function, the CLI and the emulator's CloudFlow API all refuse by it.
 */
const EXECUTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const MAX_LENGTH = 128;

/** The rule in words, for refusals. */
export const EXECUTION_NAME_RULE = '1–128 letters, digits, "_" or "-", starting with a letter or "_"';

export function isExecutionName(name: unknown): name is string {
  return typeof name === 'string' && EXECUTION_NAME.test(name);
}

/** A valid name made from any text: other characters become `-` (one per run), `_` goes first when needed. */
export function toExecutionName(raw: string): string {
  let name = raw.replace(/[^A-Za-z0-9_-]/g, '-').replace(/-{2,}/g, '-');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name.slice(0, MAX_LENGTH);
}
