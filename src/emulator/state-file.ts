import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../input-error/invalid-input';
import { jsonErrorPosition } from './json-error-position';
import { stateFromSeed } from './seed';
import type { EmulatorState } from './types';

/**
 * State persistence: the whole state as JSON, written atomically (temp file in the same directory, fsync, rename,
 * fsync of the directory), so a crash leaves either the old or the new file, never a torn one.
 */

const STATE_FILE_FORMAT = 'riflow-emulator-state';

/** The state file exists but cannot be used; the emulator refuses to start and never overwrites it. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  constructor(
    readonly file: string,
    message: string,
    readonly where: { line?: number; column?: number; position?: number; field?: string } = {},
  ) {
    super(message);
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** Loads `file`; undefined when it does not exist. Throws StateFileError saying where it broke. */
export async function loadStateFile(file: string, now: Date): Promise<EmulatorState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(file, `cannot read state file ${file}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const position = jsonErrorPosition(text);
    const where: { position?: number; line?: number; column?: number } =
      position === undefined ? {} : { position, ...lineAndColumn(text, position) };
    const at = where.line === undefined ? '' : ` at line ${where.line}, column ${where.column}`;
    throw new StateFileError(file, `state file ${file} is not valid JSON${at}: ${(error as Error).message}`, where);
  }
  const envelope = doc as { format?: unknown; version?: unknown; state?: unknown };
  if (typeof doc !== 'object' || doc === null || envelope.format !== STATE_FILE_FORMAT) {
    throw new StateFileError(file, `state file ${file}: field "format" must be "${STATE_FILE_FORMAT}"`, { field: 'format' });
  }
  if (envelope.version !== 1) {
    throw new StateFileError(file, `state file ${file}: field "version" must be 1`, { field: 'version' });
  }
  try {
    return stateFromSeed(envelope.state, now);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new StateFileError(file, `state file ${file}: field "state.${error.field}" ${error.message.slice(error.field.length + 2)}`, {
        field: `state.${error.field}`,
      });
    }
    throw error;
  }
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  try {
    const dirHandle = await fs.open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** Removes temp files a crashed writer left next to `file` (they were never renamed, so never the state). */
export async function removeStaleTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => fs.rm(path.join(dir, name), { force: true })),
  );
}

/**
 * Saves the store's state after changes, coalescing bursts: `flush()` resolves once a write that started after
 * the call has finished, so whoever awaits it knows its change is on disk, and rejects when that write failed (the
 * gateway then answers InternalError instead of a 200). A failed write is tried again by the next flush.
 */
export class StateFileWriter {
  private chain: Promise<void> = Promise.resolve();
  private savedVersion = -1;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => { version: number; state: EmulatorState },
    private readonly log: (line: string) => void,
  ) {}

  flush(): Promise<void> {
    const step = this.chain.then(async () => {
      const { version, state } = this.snapshot();
      if (version === this.savedVersion) return;
      const text = JSON.stringify({ format: STATE_FILE_FORMAT, version: 1, state }, null, 2);
      try {
        await writeFileAtomic(this.file, `${text}\n`);
      } catch (error) {
        this.log(`emulator: could not save state to ${this.file}: ${(error as Error).message}`);
        throw error;
      }
      this.savedVersion = version;
    });
    this.chain = step.catch(() => undefined);
    return step;
  }
}
