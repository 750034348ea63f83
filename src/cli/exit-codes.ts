/**
 * stockd's exit codes, one per kind of failure, after BSD's sysexits.h so that a supervisor or
 * a script can tell "fix the command" from "fix the machine" from "wait and retry". README's
 * "Command line" section lists them; keep the two in step.
 */
export const exitCodes = Object.freeze({
  ok: 0,
  /** The command ran but did not do everything: an import with refused lines, an unknown item. */
  incomplete: 1,
  /** Bad usage: an unknown command or option, a missing or malformed argument (EX_USAGE). */
  usage: 64,
  /**
   * The data directory is damaged: a data file that is not what stockd wrote, cut short,
   * missing beside its identity file, another store's, or a record failing its checksum
   * (EX_DATAERR). Restore it from a backup, or move it aside.
   */
  dataDamaged: 65,
  /** An input is missing: the CSV file, the data directory to inspect (EX_NOINPUT). */
  noInput: 66,
  /** A network address is unavailable: the server cannot be reached, the port is taken (EX_UNAVAILABLE). */
  unavailable: 69,
  /** An internal error, a bug: reported with its stack (EX_SOFTWARE). */
  internal: 70,
  /** The data directory cannot be created: its path is a file (EX_CANTCREAT). */
  cannotCreate: 73,
  /**
   * The data directory's volume has less free space than STOCKD_DISK_FREE_FLOOR_BYTES: start-up
   * would have to write to it (EX_IOERR).
   */
  noSpace: 74,
  /** The data directory is in use by another process; retry once it has stopped (EX_TEMPFAIL). */
  inUse: 75,
  /**
   * Permission denied: the data directory is not writable (permissions, a read-only mount), or
   * the server refused the API key (EX_NOPERM).
   */
  noPermission: 77,
  /**
   * The configuration is invalid, or would serve other machines without API keys (EX_CONFIG).
   */
  config: 78,
});

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
