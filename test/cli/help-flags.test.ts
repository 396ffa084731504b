/**
 * Every command's --help is checked against the options it really parses: each flag it parses is listed under
 * "Flags:", and each flag listed there (or in its Usage line) is one it parses.
 */
import { describe, expect, it } from 'vitest';
import { COMMON_OPTIONS, type OptionSpec } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/command-table';

/** `--name` and `-x, --name` at the start of a line of the Flags section. */
function listedFlags(help: string): string[] {
  const section = help.slice(help.indexOf('\nFlags:\n'));
  const end = section.search(/\n\n(?!\s)/);
  const lines = (end < 0 ? section : section.slice(0, end)).split('\n');
  return lines.flatMap((line) => {
    const match = /^ {2}(?:-\w, )?--([a-z][a-z-]*)/.exec(line);
    return match ? [match[1] as string] : [];
  });
}

function usageFlags(help: string): string[] {
  const usage = help.split('\n').filter((line) => /^(Usage:| {7}riflow )/.test(line));
  return usage.flatMap((line) => [...line.matchAll(/--([a-z][a-z-]*)/g)].map((match) => match[1] as string));
}

async function parsedFlags(command: string): Promise<string[]> {
  const module = (await import(`../../src/cli/commands/${command}.ts`)) as { OPTIONS?: OptionSpec };
  if (!module.OPTIONS) throw new Error(`src/cli/commands/${command}.ts exports no OPTIONS: the help cannot be checked`);
  return Object.keys({ ...COMMON_OPTIONS, ...module.OPTIONS });
}

describe.each(COMMANDS.map((command) => ({ name: command.name, help: command.help })))('riflow $name --help', ({ name, help }) => {
  it('lists every flag the command parses', async () => {
    const listed = listedFlags(help);
    for (const flag of await parsedFlags(name)) expect(listed, `--${flag}`).toContain(flag);
  });

  it('lists only flags the command parses, in Flags and in Usage', async () => {
    const parsed = await parsedFlags(name);
    for (const flag of [...listedFlags(help), ...usageFlags(help)]) expect(parsed, `--${flag}`).toContain(flag);
  });
});
