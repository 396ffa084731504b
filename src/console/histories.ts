/**
 * Past executions kept in `.riflow/executions/*.ndjson` (by `riflow run` and by the local CloudFlow API). A file that
 * cannot be read is listed with where it broke, never left out. A distributed Map's sub-executions are left out, as
 * ListExecutions leaves them out without a MapRunName (a fleet writes up to 200); `riflow history` lists them with their parent.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryReadError, readHistory, type HistoryEvent } from '../flow/history';
import { summaryFromEvents } from '../cli/view/summary';
import type { ExecutionSummary } from './protocol';

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

export class HistoryNotFoundError extends Error {
  override readonly name = 'HistoryNotFoundError';
}

export async function listHistoryFiles(dir: string): Promise<ExecutionSummary[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.ndjson'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const summaries = await Promise.all(files.map((file) => summariseFile(dir, file.slice(0, -'.ndjson'.length))));
  return summaries.filter((summary): summary is ExecutionSummary => summary !== undefined);
}

async function summariseFile(dir: string, name: string): Promise<ExecutionSummary | undefined> {
  try {
    const events = await readHistory(join(dir, `${name}.ndjson`));
    const started = events.find((event) => event.type === 'ExecutionStarted');
    if (started?.type === 'ExecutionStarted' && started.parent) return undefined;
    const summary = summaryFromEvents(events);
    return {
      name,
      flowName: started?.type === 'ExecutionStarted' ? started.flow : '',
      status: summary?.status ?? 'Interrupted',
      ...(events[0] ? { startedTime: events[0].time } : {}),
      ...(summary ? { stoppedTime: summary.stoppedAt } : {}),
      source: 'file',
    };
  } catch (error) {
    const problem = error instanceof HistoryReadError
      ? { line: error.line, message: error.message.slice(`${error.path}:${error.line}: `.length) }
      : { message: error instanceof Error ? error.message : String(error) };
    return { name, flowName: '', status: 'Corrupt', source: 'file', problem };
  }
}

/** One history's events; throws HistoryNotFoundError, or HistoryReadError (with its line) for a corrupt file. */
export async function readHistoryFile(dir: string, name: string): Promise<HistoryEvent[]> {
  if (!FILE_NAME.test(name)) throw new HistoryNotFoundError(`no execution named ${JSON.stringify(name)}`);
  try {
    return await readHistory(join(dir, `${name}.ndjson`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new HistoryNotFoundError(`no execution named ${name} in .riflow/executions`);
    throw error;
  }
}
