/**
 * Appends to one journal. Every line is written with a synchronous write() as it is recorded, so it is in the
 * kernel's hands — and survives the process being killed — before the interpreter goes on to the step it records.
 * With `fsync` (the default), `sync()` also puts it on the disk (fdatasync), and the journal awaits it before each
 * step that acts on the world: a task call, and the end an API reports. A sleep is not one: a Wait whose start was
 * lost with the machine only waits again in full.
 */
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventLog, HistoryEvent } from '../flow/history';
import type { JournalHeader } from './format';

export interface JournalWriterOptions {
  /** fdatasync before each task call and before the end is reported (default true). */
  fsync?: boolean;
  /** Writes one line's text to the file (default: write() until all of it is written). A test hook. */
  writeText?: (fd: number, text: string) => void;
}

export class JournalWriter implements EventLog {
  private fd: number | undefined;
  private failure: Error | undefined;
  /** Lines recorded while a replay has not caught up: written when it has, dropped when it diverges. */
  private held: string[] | undefined;
  private dirty = false;
  private syncing: Promise<void> | undefined;
  private readonly fsync: boolean;
  private readonly writeText: (fd: number, text: string) => void;

  /** Opens `path` for appending; with `header`, the file is new and the header its first line (on disk at once). */
  constructor(
    readonly path: string,
    header: JournalHeader | undefined,
    options: JournalWriterOptions = {},
  ) {
    this.fsync = options.fsync ?? true;
    this.writeText = options.writeText ?? writeAll;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, header ? 'wx' : 'a', 0o600);
    if (header) {
      this.writeText(this.fd, `${JSON.stringify(header)}\n`);
      if (this.fsync) fdatasyncSync(this.fd);
    }
  }

  /** Holds new lines in memory until `release()` (or drops them on `discard()`). */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const lines = this.held;
    this.held = undefined;
    if (lines?.length) this.append(lines.join(''));
  }

  /** Drops the held lines and writes nothing more: the journal stays as it was. */
  discard(): void {
    this.held = undefined;
    this.closeFile();
  }

  /** Puts what was written on the disk and closes the file; later lines are dropped. */
  suspend(): void {
    this.held = undefined;
    if (this.fd !== undefined && this.fsync && this.dirty) {
      try {
        fdatasyncSync(this.fd);
      } catch {
        // The lines are in the kernel's hands already; a failed sync only weakens a machine crash.
      }
    }
    this.closeFile();
  }

  write(event: HistoryEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    if (this.held) this.held.push(line);
    else this.append(line);
  }

  /** Resolves once every line written so far is on the disk (at once without fsync). */
  sync(): Promise<void> {
    if (!this.fsync || this.fd === undefined) return Promise.resolve();
    // Lines written while a sync runs are not covered by it: wait for it, then sync again.
    if (this.syncing) return this.syncing.then(() => this.sync());
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    const fd = this.fd;
    this.syncing = new Promise<void>((resolve, reject) => {
      fdatasync(fd, (error) => {
        this.syncing = undefined;
        if (error) reject(error);
        else resolve();
      });
    });
    return this.syncing;
  }

  async close(): Promise<Error | undefined> {
    try {
      await this.sync();
    } catch (error) {
      this.failure ??= error as Error;
    }
    this.closeFile();
    return this.failure;
  }

  private append(text: string): void {
    if (this.fd === undefined || this.failure) return;
    try {
      this.writeText(this.fd, text);
      this.dirty = true;
    } catch (error) {
      this.failure = error as Error;
    }
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
}
