import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Bad input from the user: printed as one short message, exit code 2. */
export class UsageError extends Error {}

/**
 * Writes through a temporary file beside the target and renames it into place, so an
 * interrupted run never leaves a half-written result where a good one was.
 */
export class AtomicWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private closed = false;

  constructor(readonly path: string) {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    this.tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }

  write(text: string): void {
    writeSync(this.fd, text);
  }

  commit(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}

export function writeFileAtomic(path: string, text: string): void {
  const w = new AtomicWriter(path);
  try {
    w.write(text);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}
