/**
 * A write to the store failed — no space left, an I/O error: what it carried is not on disk.
 * Not a bug: the worker answers the batches concerned STORAGE_FULL and reloads what got ahead
 * of the store (actors/worker-runtime.ts); other writers retry later.
 */
export class StorageWriteError extends Error {
  override name = 'StorageWriteError';
  /** The errno LMDB reported (28: ENOSPC, 5: EIO), when it said. */
  readonly errno: number | undefined;

  constructor(cause: unknown) {
    const errno = errnoOf(cause);
    const message = cause instanceof Error ? cause.message : String(cause);
    super(errno === undefined ? message : `${message} (errno ${errno})`, { cause });
    this.errno = errno;
  }
}

/**
 * The error of a failed store write as a StorageWriteError, if it is LMDB's: an errno (or an
 * MDB_ code) on a synchronous write, or lmdb-js's "Commit failed" of an asynchronous one. That
 * one carries a `commitError` promise that rejects with LMDB's own error a moment later; left
 * unobserved, it would be an unhandled rejection and end the thread. Anything else (a bug) is
 * returned as it is.
 */
export function storageWriteErrorOf(error: unknown): unknown {
  if (error instanceof StorageWriteError) return error;
  const commitError = (error as { commitError?: unknown } | undefined)?.commitError;
  if (commitError instanceof Promise) {
    commitError.catch(() => {});
    return new StorageWriteError(error);
  }
  return errnoOf(error) === undefined ? error : new StorageWriteError(error);
}

/** Runs a store write, turning its failure into a StorageWriteError. */
export function writing<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw storageWriteErrorOf(error);
  }
}

/** Awaits a store write, turning its failure into a StorageWriteError. */
export function written<T>(write: Promise<T> | T): Promise<T> {
  // lmdb-js answers some writes (`flushed` with nothing pending) with a plain value.
  return Promise.resolve(write).catch((error: unknown) => {
    throw storageWriteErrorOf(error);
  });
}

function errnoOf(cause: unknown): number | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
