/**
 * Entry of the `riflow` bundle. Kept small on purpose: it imports only the command table, which loads each command
 * lazily, so `riflow --help` stays fast (see bench/cli.bench.ts).
 */
import packageJson from '../../package.json';
import { COMMANDS, findCommand, mainHelp } from './command-table';
import { CliError, EXIT, errorMessage } from './errors';
import { processTerminal, styles } from './terminal';
import type { Terminal } from './terminal';

const VERSION = packageJson.version;

/** Edit distance, for "did you mean" on a mistyped command. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? Number.POSITIVE_INFINITY;
}

function closest(name: string): string | undefined {
  const ranked = COMMANDS.map((command) => ({ name: command.name, d: distance(name, command.name) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= 2 ? ranked[0].name : undefined;
}

export function reportError(error: unknown, terminal: Terminal): number {
  const style = styles(terminal.errColor);
  if (error instanceof CliError) {
    terminal.err(`${style.red('Error:')} ${error.message}\n`);
    if (error.hint) terminal.err(`${error.hint}\n`);
    if (terminal.debug && error.stack) terminal.err(`${style.dim(error.stack)}\n`);
    return error.exitCode;
  }
  terminal.err(`${style.red('Error:')} unexpected failure: ${errorMessage(error)}\n`);
  terminal.err(terminal.debug && error instanceof Error && error.stack ? `${style.dim(error.stack)}\n` : 'Run again with --debug for details.\n');
  return EXIT.internal;
}

export async function main(argv: string[]): Promise<number> {
  const terminal = processTerminal({ debug: argv.includes('--debug'), noColor: argv.includes('--no-color') });
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' && rest[0] ? findCommand(rest[0]) : undefined;
    terminal.out(`${topic ? topic.help : mainHelp(VERSION)}\n`);
    return first === undefined ? EXIT.invalid : EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    terminal.out(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = findCommand(first);
  if (!command) {
    const guess = first.startsWith('-') ? undefined : closest(first);
    const what = first.startsWith('-') ? `unknown flag ${first}` : `unknown command "${first}"`;
    return reportError(new CliError(what, EXIT.invalid, guess ? `Did you mean \`riflow ${guess}\`? See riflow --help.` : 'See riflow --help.'), terminal);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    terminal.out(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    const run = await command.load();
    return await run(rest, terminal);
  } catch (error) {
    return reportError(error, terminal);
  }
}

// Exit once stdout has taken everything: in-process handlers keep HTTP agents alive that would hold the loop open.
main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`Error: ${errorMessage(error)}\n`);
    process.exit(EXIT.internal);
  },
);
