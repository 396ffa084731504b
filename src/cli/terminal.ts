/**
 * Where a command writes, and how. Output goes through these functions rather than `process.stdout` because the
 * FC handlers a run calls in-process write their own log lines to stdout (see function-logs.ts).
 */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: live view instead of NDJSON. */
  isTTY: boolean;
  /** Colours on stdout (a TTY, and neither NO_COLOR nor --no-color). */
  color: boolean;
  /** Colours on stderr. */
  errColor: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  debug: boolean;
}

export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const COLORED: Styles = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

const identity = (text: string): string => text;
const PLAIN: Styles = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };

export function styles(enabled: boolean): Styles {
  return enabled ? COLORED : PLAIN;
}

/** https://no-color.org: any non-empty NO_COLOR turns colours off. */
function colorAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return Boolean(stream.isTTY) && !noColorFlag && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function processTerminal(options: { debug: boolean; noColor: boolean }): Terminal {
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  return {
    out: (text) => void stdoutWrite(text),
    err: (text) => void stderrWrite(text),
    isTTY: Boolean(process.stdout.isTTY),
    color: colorAllowed(process.stdout, process.env, options.noColor),
    errColor: colorAllowed(process.stderr, process.env, options.noColor),
    env: process.env,
    cwd: process.cwd(),
    debug: options.debug,
  };
}
