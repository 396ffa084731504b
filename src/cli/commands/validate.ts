import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadFlow } from '../../flow/loader';
import { FlowValidationError, formatProblem, type ValidationProblem } from '../../flow/errors';
import { parseCommandArgs } from '../args';
import { checkAgainstDeployment } from '../deployment-checks';
import { EXIT } from '../errors';
import { displayPath, findServerlessYaml, readServerlessYaml } from '../project';
import { styles, type Terminal } from '../terminal';

interface FileReport {
  file: string;
  problems: ValidationProblem[];
  warnings: ValidationProblem[];
}

function checkFile(path: string, display: string, cwd: string): FileReport {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'unknown error'})`;
    // Line 0: the file itself, not a place in it.
    return { file: display, problems: [{ path: '', line: 0, column: 0, field: '', message }], warnings: [] };
  }
  const problems: ValidationProblem[] = [];
  let warnings: ValidationProblem[] = [];
  try {
    warnings = loadFlow(text, { path: display }).warnings;
  } catch (error) {
    if (!(error instanceof FlowValidationError)) throw error;
    problems.push(...error.problems);
    warnings = error.warnings;
  }
  const sYaml = findServerlessYaml(path, cwd);
  if (sYaml) {
    const deployment = { sYaml: readServerlessYaml(sYaml), display: displayPath(cwd, sYaml) };
    // The loader already names a wrong Name; add only what it cannot know.
    const seen = new Set(problems.map((p) => `${p.line}:${p.column}:${p.field}`));
    for (const problem of checkAgainstDeployment(text, path, deployment)) {
      if (!seen.has(`${problem.line}:${problem.column}:${problem.field}`)) problems.push(problem);
    }
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { file: display, problems, warnings };
}

/** No flags of its own (the common ones only); test/cli/help-flags.test.ts checks the help against this. */
export const OPTIONS = {} as const;

export async function validateCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { positionals } = parseCommandArgs('validate', argv, OPTIONS, { min: 1, max: Number.POSITIVE_INFINITY });
  const style = styles(terminal.color);
  let failed = 0;
  let problemCount = 0;
  for (const path of positionals) {
    const display = displayPath(terminal.cwd, path);
    const report = checkFile(path, display, terminal.cwd);
    for (const warning of report.warnings) terminal.out(`${style.yellow('warning')} ${formatProblem(warning, report.file)}\n`);
    if (report.problems.length === 0) {
      terminal.out(`${style.green('✓')} ${report.file}\n`);
      continue;
    }
    failed += 1;
    problemCount += report.problems.length;
    for (const problem of report.problems) {
      const text = problem.line === 0 ? `${report.file}: ${problem.message}` : formatProblem(problem, report.file);
      terminal.out(`${style.red('✗')} ${text}\n`);
    }
  }
  if (failed > 0) {
    terminal.out(`${problemCount} problem${problemCount === 1 ? '' : 's'} in ${failed} of ${positionals.length} file${positionals.length === 1 ? '' : 's'}.\n`);
    return EXIT.invalid;
  }
  terminal.out(`${positionals.length} workflow${positionals.length === 1 ? '' : 's'} valid.\n`);
  return EXIT.ok;
}
