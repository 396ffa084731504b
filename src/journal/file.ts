/**
 * Reading a journal file for a resume. A torn last line (the process died in the middle of writing it) is reported,
 * its bytes are appended to `<journal>.torn` (kept, never thrown away) and the journal is cut back to its last whole
 * line; the execution then resumes from its last whole event. A journal whose header itself is torn was never
 * started (StartExecution had not answered): the whole file is moved to `<journal>.torn`. Anything else that is wrong
 * is a JournalDamagedError with the file and the line, and the file is left exactly as it is.
 */
import { appendFileSync, readFileSync, renameSync, truncateSync } from 'node:fs';
import { JournalDamagedError, parseJournal, type ParsedJournal } from './format';

export type ReadJournal =
  | { kind: 'journal'; journal: ParsedJournal; repaired?: string }
  | { kind: 'never-started'; repaired: string }
  | { kind: 'damaged'; error: JournalDamagedError };

export function readJournalFile(path: string): ReadJournal {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { kind: 'damaged', error: new JournalDamagedError(path, 0, `cannot read it: ${(error as Error).message}`) };
  }
  let parsed: ReturnType<typeof parseJournal>;
  try {
    parsed = parseJournal(path, bytes);
  } catch (error) {
    if (error instanceof JournalDamagedError) return { kind: 'damaged', error };
    throw error;
  }
  if ('tornHeader' in parsed) {
    renameSync(path, `${path}.torn`);
    return { kind: 'never-started', repaired: `${path}:1: the header is torn (${parsed.tornHeader.length} bytes): the execution never started; moved to ${path}.torn` };
  }
  if (parsed.torn) {
    const { line, bytes: tornBytes } = parsed.torn;
    appendFileSync(`${path}.torn`, Buffer.concat([tornBytes, Buffer.from('\n')]));
    truncateSync(path, parsed.wholeBytes);
    return { kind: 'journal', journal: parsed, repaired: `${path}:${line}: the last line is torn (${tornBytes.length} bytes, kept in ${path}.torn); resuming from line ${line - 1}` };
  }
  // A whole last line whose newline was not written yet: complete it, so that the next line starts on its own.
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) appendFileSync(path, '\n');
  return { kind: 'journal', journal: parsed };
}
