/**
 * Keeps the engine's columns still while workers count them. A catch-up overwrites updated rows in
 * place and may move a column to a larger buffer; a worker counting meanwhile would see half of
 * the change. So counts lent to workers are readers, a catch-up's apply step is the writer: the
 * writer waits for the counts running to finish, counts arriving meanwhile wait for the write,
 * and the write itself is one synchronous step (it never waits on a reader that waits on it).
 * Rows appended past a running count's length would be harmless, but a catch-up mixes both.
 */
export class SnapshotGate {
  private readers = 0;
  private writing: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  /** Runs `read` once no write is pending; a write waits for it. */
  async read<T>(read: () => Promise<T>): Promise<T> {
    while (this.writing) await this.writing;
    this.readers++;
    try {
      return await read();
    } finally {
      if (--this.readers === 0) this.drained?.();
    }
  }

  /** Runs `write` (synchronous) once the reads running have finished; reads arriving meanwhile wait. */
  async write(write: () => void): Promise<void> {
    while (this.writing) await this.writing;
    let done!: () => void;
    this.writing = new Promise((resolve) => (done = resolve));
    try {
      while (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      write();
    } finally {
      this.writing = null;
      done();
    }
  }
}
