/** `riflow graph`: a workflow as Mermaid (default) or DOT, optionally with one run's path highlighted. */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { HistoryReadError, readHistory } from '../../flow/history';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { renderDot } from '../graph/dot';
import { renderMermaid } from '../graph/mermaid';
import { buildGraph } from '../graph/model';
import { overlayRun } from '../graph/overlay';
import { historyFile } from '../project';
import type { Terminal } from '../terminal';
import { loadWorkflow } from './run-setup';

export const OPTIONS = {
  format: { type: 'string' },
  execution: { type: 'string' },
} as const;

export async function graphCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('graph', argv, OPTIONS, { min: 1, max: 1 });
  const format = values.format ?? 'mermaid';
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`riflow graph: --format must be mermaid or dot, got "${format}"`, 'graph');
  const flow = await loadWorkflow(positionals[0] as string, terminal.cwd);
  let graph = buildGraph(flow);
  if (values.execution !== undefined) {
    const path = historyFile(terminal.cwd, values.execution);
    if (!existsSync(path)) throw new CliError(`no execution named ${values.execution} (${relative(terminal.cwd, path)} does not exist)`, EXIT.invalid, 'List them with riflow history.');
    try {
      graph = overlayRun(graph, await readHistory(path));
    } catch (error) {
      if (error instanceof HistoryReadError) throw new CliError(`${relative(terminal.cwd, path)} is corrupt at line ${error.line}`, EXIT.invalid);
      throw error;
    }
  }
  terminal.out(format === 'dot' ? renderDot(graph) : renderMermaid(graph));
  return EXIT.ok;
}
