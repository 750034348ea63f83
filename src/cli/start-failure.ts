import { DataDamagedError } from '../checkpoint/data-damage.ts';
import { DataDirError, type DataDirProblem } from '../checkpoint/data-dir.ts';
import { ConfigError } from '../config/config.ts';
import { CommandFailure, UsageError } from './command-failure.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';

/** How the command line reports a failure: what to print on stderr, and the exit code. */
export interface Failure {
  readonly message: string;
  readonly exitCode: ExitCode;
}

const dataDirFailures: Readonly<Record<DataDirProblem, [ExitCode, string]>> = {
  missing: [exitCodes.noInput, 'check --data-dir (or STOCKD_DATA_DIR)'],
  'not-a-directory': [
    exitCodes.cannotCreate,
    'point STOCKD_DATA_DIR (or --data-dir) at a directory, or at a path that does not exist yet',
  ],
  'not-writable': [
    exitCodes.noPermission,
    'make it writable by this user (or mount it read-write), or choose another STOCKD_DATA_DIR',
  ],
  full: [
    exitCodes.noSpace,
    'free space on its volume (or grow it, or lower the floor), then start again: nothing acknowledged is lost',
  ],
  locked: [
    exitCodes.inUse,
    'stop that process first (one process per data directory), or give this one another STOCKD_DATA_DIR',
  ],
};

/** What to do about a damaged data directory; never "retry": the damage stays. */
const damageRemedy =
  'restore the data directory from a backup, or move it aside (keep it for analysis) and start on an empty one; do not delete files from it to make the start pass';

/** listen() errors a user fixes by choosing another address. */
const listenReasons: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  EACCES: 'permission denied (ports below 1024 need privileges)',
};

/**
 * What went wrong, in one line naming the problem and what to do, for every failure a user can
 * fix (bad usage, configuration, data directory, files, the network), each kind with its exit
 * code. Anything else is a bug: it keeps its stack, for the report.
 */
export function failureOf(error: unknown): Failure {
  if (error instanceof UsageError) {
    return { message: `${error.message}\n\n${error.usage}`, exitCode: error.exitCode };
  }
  if (error instanceof CommandFailure) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ConfigError) return { message: error.message, exitCode: exitCodes.config };
  // Also when it crossed from a worker thread (which keeps only its message).
  const damage = DataDamagedError.from(error);
  if (damage !== undefined) {
    return { message: `${damage.message}; ${damageRemedy}`, exitCode: exitCodes.dataDamaged };
  }
  if (error instanceof DataDirError) {
    const [exitCode, remedy] = dataDirFailures[error.problem];
    return { message: `${error.message}: ${remedy}`, exitCode };
  }
  const errno = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const listenReason = errno.syscall === 'listen' ? listenReasons[errno.code ?? ''] : undefined;
  if (listenReason !== undefined) {
    return {
      message: `cannot listen on ${errno.address}:${errno.port}: ${listenReason}; set HOST and PORT (or --host, --port)`,
      exitCode: exitCodes.unavailable,
    };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message: `internal error (please report it): ${stack}`, exitCode: exitCodes.internal };
}
