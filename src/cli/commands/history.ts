/** `riflow history`: the local executions under .riflow/executions, or one of them replayed. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HistoryReadError, readHistory, type HistoryEvent } from '../../flow/history';
import { parseCommandArgs } from '../args';
import { CliError, EXIT } from '../errors';
import { executionsDir, historyFile } from '../project';
import { styles, type Terminal } from '../terminal';
import { formatDuration } from '../view/format';
import { LiveView } from '../view/live-view';
import { eventLine, headerLine, resultLine } from '../view/stream';
import { durationMs, renderSummary, summaryFromEvents } from '../view/summary';

export const OPTIONS = { json: { type: 'boolean' } } as const;

interface Listed {
  name: string;
  flow: string;
  status: string;
  startedAt: string;
  durationMs?: number;
  /** A distributed Map's sub-execution: the execution that started it. */
  parent?: string;
  problem?: string;
}

async function describeFile(dir: string, file: string): Promise<Listed> {
  const name = file.replace(/\.ndjson$/, '');
  try {
    const events = await readHistory(join(dir, file));
    const started = events.find((event) => event.type === 'ExecutionStarted');
    const summary = summaryFromEvents(events);
    const parent = started?.type === 'ExecutionStarted' ? started.parent?.execution : undefined;
    return {
      name,
      flow: started?.type === 'ExecutionStarted' ? started.flow : '?',
      status: summary?.status ?? 'Running or interrupted',
      startedAt: events[0]?.time ?? '',
      ...(summary ? { durationMs: durationMs(summary) } : {}),
      ...(parent === undefined ? {} : { parent }),
    };
  } catch (error) {
    const problem = error instanceof HistoryReadError ? `corrupt at line ${error.line}` : 'unreadable';
    return { name, flow: '?', status: problem, startedAt: '', problem };
  }
}

async function listExecutions(terminal: Terminal, json: boolean): Promise<number> {
  const dir = executionsDir(terminal.cwd);
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.ndjson')) : [];
  const rows = (await Promise.all(files.map((file) => describeFile(dir, file)))).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  if (json) {
    for (const row of rows) terminal.out(`${JSON.stringify({ v: 1, type: 'execution', ...row })}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    terminal.out(`No executions in ${relative(terminal.cwd, dir) || dir} yet. Start one with riflow run --demo.\n`);
    return EXIT.ok;
  }
  const s = styles(terminal.color);
  const nameWidth = Math.max(4, ...rows.map((row) => row.name.length));
  const flowWidth = Math.max(8, ...rows.map((row) => row.flow.length));
  terminal.out(s.dim(`${'NAME'.padEnd(nameWidth)}  ${'WORKFLOW'.padEnd(flowWidth)}  ${'STATUS'.padEnd(10)}  ${'STARTED'.padEnd(24)}  ${'DURATION'.padEnd(9)}  PARENT`).trimEnd() + '\n');
  for (const row of rows) {
    const status = row.status === 'Succeeded' ? s.green(row.status.padEnd(10)) : row.problem ? s.red(row.status) : s.yellow(row.status.padEnd(10));
    const duration = row.durationMs === undefined ? '' : formatDuration(row.durationMs);
    const line = `${row.name.padEnd(nameWidth)}  ${row.flow.padEnd(flowWidth)}  ${status}  ${row.startedAt.padEnd(24)}  ${duration.padEnd(9)}  ${row.parent ?? ''}`;
    terminal.out(`${line.trimEnd()}\n`);
  }
  return EXIT.ok;
}

async function replay(name: string, terminal: Terminal, json: boolean): Promise<number> {
  const path = historyFile(terminal.cwd, name);
  const display = relative(terminal.cwd, path);
  if (!existsSync(path)) throw new CliError(`no execution named ${name} (${display} does not exist)`, EXIT.invalid, 'List them with riflow history.');
  let events: HistoryEvent[];
  try {
    events = await readHistory(path);
  } catch (error) {
    if (error instanceof HistoryReadError) throw new CliError(`${display} is corrupt at line ${error.line}: ${error.message.slice(`${error.path}:${error.line}: `.length)}`, EXIT.invalid);
    throw error;
  }
  const summary = summaryFromEvents(events);
  if (json) {
    terminal.out(headerLine({ command: 'history', execution: name, history: display }));
    for (const event of events) terminal.out(eventLine(event));
    if (summary) terminal.out(resultLine({ ...summary, historyPath: display }));
    return EXIT.ok;
  }
  const view = new LiveView(terminal.out, terminal.color);
  for (const event of events) view.onEvent(event);
  if (summary) terminal.out(renderSummary({ ...summary, historyPath: display }, terminal.color));
  else terminal.out(`\n${styles(terminal.color).yellow('No end event')}: the run was interrupted before it finished (last state ${view.lastState ?? 'unknown'}).\n`);
  return EXIT.ok;
}

export async function historyCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('history', argv, OPTIONS, { min: 0, max: 1 });
  const json = values.json === true;
  const name = positionals[0];
  return name === undefined ? listExecutions(terminal, json) : replay(name, terminal, json);
}
