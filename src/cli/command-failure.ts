import { type ExitCode, exitCodes } from './exit-codes.ts';

/**
 * A failure the command line reports as one line naming the problem and what to do, with the
 * exit code of its kind, and no stack: it is the user's to fix, not a bug.
 */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Bad usage: reported with the usage text of the command (exit 64). */
export class UsageError extends CommandFailure {
  override name = 'UsageError';
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message, exitCodes.usage);
    this.usage = usage;
  }
}
