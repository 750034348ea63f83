/**
 * A data file or record that is not what stockd wrote: garbage or a foreign file in place of the
 * store, a truncated file, a record whose checksum does not match, a data file missing next to
 * its identity. Nothing stockd does at run time causes it (a crash leaves committed or no data,
 * never damaged data), so retrying cannot help: the data directory needs an operator. The
 * message names the file, the database and key where known, and what is wrong; the command line
 * adds what to do (cli/start-failure.ts) and exits with EX_DATAERR.
 *
 * Code `DATA_DAMAGED` is stable: the message starts with it, so that it survives being carried
 * from a worker thread to the main thread, which keeps an Error's message but not its class.
 */
export class DataDamagedError extends Error {
  override name = 'DataDamagedError';
  static readonly code = 'DATA_DAMAGED';
  /** What is wrong, without the code: `<file>: <problem>`. */
  readonly damage: string;

  constructor(damage: string) {
    super(`${DataDamagedError.code}: ${damage}`);
    this.damage = damage;
  }

  /** The same error from one that crossed a thread boundary (or was wrapped), if it was one. */
  static from(error: unknown): DataDamagedError | undefined {
    if (error instanceof DataDamagedError) return error;
    if (!(error instanceof Error)) return undefined;
    const prefix = `${DataDamagedError.code}: `;
    const message = error.message;
    const at = message.indexOf(prefix);
    if (at >= 0) return new DataDamagedError(message.slice(at + prefix.length));
    return error.cause === undefined ? undefined : DataDamagedError.from(error.cause);
  }
}

/** LMDB's own words for a page that is not what it wrote (mdb.c's error strings). */
const lmdbDamage = /MDB_CORRUPTED|MDB_PAGE_NOTFOUND|MDB_INVALID|MDB_VERSION_MISMATCH/;

/**
 * The DataDamagedError an LMDB error stands for, if it says a page is damaged: reading a data
 * file that was cut short (and extended with zero pages, store-file-check.ts) or overwritten.
 */
export function damageOfLmdbError(error: unknown, file: string): DataDamagedError | undefined {
  const known = DataDamagedError.from(error);
  if (known !== undefined) return known;
  if (!(error instanceof Error) || !lmdbDamage.test(error.message)) return undefined;
  return new DataDamagedError(`${file}: LMDB finds a damaged page (${error.message})`);
}
