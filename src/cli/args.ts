import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { CliError, UsageError } from './errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts; main.ts reads them before the command runs. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const satisfies OptionSpec;


/**
 * `parseArgs` with the command's options plus the common ones, strict, and its errors turned into one usage line
 * (`Unknown option '--x'` → "riflow run: unknown option --x").
 */
export function parseCommandArgs<const Options extends OptionSpec>(
  command: string,
  argv: string[],
  options: Options,
  positionals: { min: number; max: number },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new UsageError(`riflow ${command}: ${text.replace(/\. To specify a positional argument.*$/s, '')}`, command);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(`riflow ${command}: missing argument`, command);
  if (count > positionals.max) {
    throw new UsageError(`riflow ${command}: unexpected argument "${parsed.positionals[positionals.max]}"`, command);
  }
  return parsed;
}

/**
 * A JSON argument given inline (`'{"a":1}'`) or as `@path/to/file.json`. `what` names the flag in messages.
 */
export function readJsonArgument(value: string, what: string, cwd: string): unknown {
  let text = value;
  let source = `${what}`;
  if (value.startsWith('@')) {
    const file = resolve(cwd, value.slice(1));
    source = `${what} file ${value.slice(1)}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(`cannot read ${source}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'unreadable';
    throw new CliError(`${source} is not valid JSON: ${detail}`, 1, `Quote it for the shell, e.g. ${what} '{"key":"value"}', or pass ${what} @file.json.`);
  }
}

export function readJsonObjectArgument(value: string, what: string, cwd: string): Record<string, unknown> {
  const parsed = readJsonArgument(value, what, cwd);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** An http(s) URL, or a usage error naming the flag. */
export function checkEndpoint(value: string, flag = '--endpoint'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag} "${value}" is not a URL`, 1, 'Give it as http://127.0.0.1:PORT or https://vpc.aliyuncs.com.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`${flag} must be an http or https URL`);
  return value.replace(/\/+$/, '');
}
