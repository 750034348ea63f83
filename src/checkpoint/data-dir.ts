import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What is wrong with a data directory; the command line turns each into its own exit code. */
export type DataDirProblem = 'missing' | 'not-a-directory' | 'not-writable' | 'locked' | 'full';

/**
 * A data directory that cannot be used, for a reason the operator can fix (a path, a mount, a
 * second process). The message names the directory and the reason; it says nothing about what
 * to do, which depends on how stockd was started (see cli/start-failure.ts).
 */
export class DataDirError extends Error {
  override name = 'DataDirError';
  readonly problem: DataDirProblem;
  readonly dataDir: string;

  constructor(problem: DataDirProblem, dataDir: string, message: string) {
    super(message);
    this.problem = problem;
    this.dataDir = dataDir;
  }
}

/** The LMDB environment's file (store.ts opens it). */
export function storeFileOf(dataDir: string): string {
  return join(dataDir, 'stockd.mdb');
}

/**
 * Makes sure `dataDir` is a directory this process can write, creating it (and its parents) if
 * it does not exist, before anything is opened in it: LMDB's own errors name neither the
 * directory nor the cause.
 */
export function prepareDataDir(dataDir: string): void {
  const existing = statSync(dataDir, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isDirectory()) {
    throw new DataDirError('not-a-directory', dataDir, `${dataDir} is a file, not a directory`);
  }
  try {
    if (existing === undefined) createDirectory(dataDir);
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw problemOf(error, dataDir);
  }
}

/**
 * mkdir -p, after checking the deepest existing ancestor: Node's recursive mkdir reports a
 * read-only file system as ENOENT.
 */
function createDirectory(dataDir: string): void {
  let ancestor = dirname(dataDir);
  while (statSync(ancestor, { throwIfNoEntry: false }) === undefined) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) {
    throw Object.assign(new Error(`${ancestor} is a file`), { code: 'ENOTDIR' });
  }
  accessSync(ancestor, constants.W_OK);
  mkdirSync(dataDir, { recursive: true });
}

/**
 * Makes sure `dataDir` holds a store, without creating anything: for readers such as
 * `stockd inspect`, which must not leave an empty store behind a mistyped path.
 */
export function requireStore(dataDir: string): void {
  const directory = statSync(dataDir, { throwIfNoEntry: false });
  if (directory === undefined) {
    throw new DataDirError('missing', dataDir, `there is no data directory at ${dataDir}`);
  }
  if (!directory.isDirectory()) {
    throw new DataDirError('not-a-directory', dataDir, `${dataDir} is a file, not a directory`);
  }
  if (statSync(storeFileOf(dataDir), { throwIfNoEntry: false }) === undefined) {
    throw new DataDirError('missing', dataDir, `${dataDir} holds no stockd data (no stockd.mdb)`);
  }
}

const reasons: Readonly<Record<string, [DataDirProblem, string]>> = {
  EROFS: ['not-writable', 'it is on a read-only file system'],
  EACCES: ['not-writable', 'permission denied'],
  EPERM: ['not-writable', 'operation not permitted'],
  ENOTDIR: ['not-a-directory', 'a part of its path is a file'],
  EEXIST: ['not-a-directory', 'a part of its path is a file'],
};

function problemOf(error: unknown, dataDir: string): unknown {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const known = reasons[code];
  if (known === undefined) return error;
  const [problem, reason] = known;
  const cannot = problem === 'not-writable' ? 'cannot write' : 'cannot create';
  return new DataDirError(problem, dataDir, `${cannot} the data directory ${dataDir}: ${reason}`);
}
