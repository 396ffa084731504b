/**
 * Exit codes scripts rely on, and the one error type commands throw to end with a clear, one-line message.
 * Anything else that escapes a command is a bug: it is reported as such (with the stack only under --debug).
 */
export const EXIT = {
  /** The command did what it was asked (for `plan`: nothing to change). */
  ok: 0,
  /** Invalid usage, definition or input: nothing was run. `plan`: an error or a blocker. */
  invalid: 1,
  /** The execution (or the invoked function) failed or timed out. `plan`: changes would be made. */
  failed: 2,
  /** An unexpected error inside riflow (a bug, or the machine failed it): not the user's input, not the run's outcome. */
  internal: 3,
  /** Stopped by Ctrl-C (SIGINT), as shells report 128 + signal 2. */
  interrupted: 130,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
    /** What to do about it, printed on a second line. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong flags or arguments; the hint points at the command's help. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(message, EXIT.invalid, `Run \`riflow ${command ? `${command} ` : ''}--help\` for usage.`);
    this.name = 'UsageError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
