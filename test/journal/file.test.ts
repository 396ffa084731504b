/** Reading a journal for a resume: a torn last line is kept aside and cut off; anything else wrong names its line and
 * leaves the file as it is. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournalFile } from '../../src/journal/file';

const dir = mkdtempSync(join(tmpdir(), 'riflow-journal-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = JSON.stringify({ v: 1, seq: 0, type: 'ExecutionJournal', time: '2026-01-01T00:00:00.000Z', execution: 'e1', flow: 'f', definition: 'x', input: {}, seed: 1 });
const event = (seq: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, seq, time: '2026-01-01T00:00:00.000Z', execution: 'e1', type: 'StateEntered', state: 'S', stateType: 'Pass', input: {}, ...extra });

function journal(name: string, text: string): string {
  const path = join(dir, `${name}.ndjson`);
  writeFileSync(path, text);
  return path;
}

describe('readJournalFile', () => {
  it('reads a whole journal', () => {
    const read = readJournalFile(journal('whole', `${header}\n${event(1)}\n${event(2)}\n`));
    expect(read).toMatchObject({ kind: 'journal', journal: { header: { execution: 'e1', seed: 1 }, events: [{ line: 2 }, { line: 3 }] } });
    expect(read).not.toHaveProperty('repaired');
  });

  it('keeps a torn last line aside, cuts the journal back to its last whole line, and says so', () => {
    const torn = event(3).slice(0, 30);
    const path = journal('torn', `${header}\n${event(1)}\n${event(2)}\n${torn}`);
    const read = readJournalFile(path);
    expect(read).toMatchObject({ kind: 'journal', repaired: `${path}:4: the last line is torn (30 bytes, kept in ${path}.torn); resuming from line 3` });
    expect(read.kind === 'journal' && read.journal.events.length).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(`${header}\n${event(1)}\n${event(2)}\n`);
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe(`${torn}\n`);
  });

  it('keeps a whole last line that only lacks its newline, and adds the newline', () => {
    const path = journal('no-newline', `${header}\n${event(1)}`);
    expect(readJournalFile(path)).toMatchObject({ kind: 'journal', journal: { events: [{ line: 2 }] } });
    expect(readFileSync(path, 'utf8')).toBe(`${header}\n${event(1)}\n`);
    expect(existsSync(`${path}.torn`)).toBe(false);
  });

  it('moves a journal whose header is torn aside whole: that execution never started', () => {
    const path = journal('torn-header', header.slice(0, 40));
    expect(readJournalFile(path)).toMatchObject({ kind: 'never-started', repaired: expect.stringContaining(`${path}:1: the header is torn`) });
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe(header.slice(0, 40));
  });

  const damaged: Array<[string, string, number, string]> = [
    ['a bad line in the middle', `${header}\n${event(1).slice(0, 20)}\n${event(2)}\n`, 2, 'not valid JSON'],
    ['an unknown version', `${header}\n${event(1, { v: 2 })}\n`, 2, 'unsupported version 2 (this riflow reads version 1)'],
    ['a line that is not an object', `${header}\n[1,2]\n`, 2, 'not a JSON object'],
    ['an event without its seq', `${header}\n${event(1, { seq: 'one' })}\n`, 2, 'missing seq, type or time'],
    ["another execution's event", `${header}\n${event(1, { execution: 'e2' })}\n`, 2, 'the event belongs to execution e2, the journal to e1'],
    ['a history written before journals', `${event(1)}\n`, 1, 'the first line must be the journal header'],
    ['a header without its seed', `${header.replace('"seed":1', '"seed":"x"')}\n`, 1, "the header's seed must be an integer"],
  ];
  for (const [what, text, line, detail] of damaged) {
    it(`reports ${what} with its file and line, and leaves the file as it is`, () => {
      const path = journal(what.replace(/\W+/g, '-'), text);
      const read = readJournalFile(path);
      expect(read.kind).toBe('damaged');
      expect(read.kind === 'damaged' && read.error.message).toContain(`${path}:${line}: ${detail}`);
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect(existsSync(`${path}.torn`)).toBe(false);
    });
  }
});
