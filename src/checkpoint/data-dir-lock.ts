import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DataDirError, prepareDataDir } from './data-dir.ts';

/** Who holds a data directory, as its holder recorded it (for the refusal's message only). */
export interface DataDirOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
}

export interface DataDirLock {
  release(): void;
}

// SQLite result codes (sqlite3.h) that say something about the directory rather than a bug.
const sqliteBusy = 5;
const sqliteReadOnly = 8;
const sqliteCantOpen = 14;

/** Open locks; a DatabaseSync that is garbage collected closes, and would let its lock go. */
const held = new Set<DatabaseSync>();

/**
 * One process per data directory: two engines on the same partitions would both append with the
 * same sequence numbers.
 *
 * The lock is an OS file lock, which the kernel drops when its holder dies however it dies
 * (SIGKILL, OOM): nothing is inferred from process ids, which repeat across restarts in a
 * container (the server is PID 1 in every life) and mean nothing across PID namespaces. Node has
 * no flock(), so the lock is taken through node:sqlite, whose file locking is POSIX fcntl():
 *
 *   stockd.owner.lock   an empty SQLite database, created once and never removed (removing it
 *                       would let a second process lock a new file while the first holds the old)
 *   BEGIN IMMEDIATE     takes SQLite's RESERVED lock, an fcntl write lock on one byte: of two
 *                       processes racing for it the kernel gives it to exactly one, at once
 *                       (busy timeout 0); the transaction stays open for the life of the lock
 *   stockd.owner.json   written by the holder after it won, only to tell a refused process who
 *                       holds the directory; never trusted to decide anything
 *
 * fcntl locks belong to a file, not a PID or mount namespace, so they hold between containers
 * sharing a volume (on any file system with POSIX locks; NFS needs its lock service). SQLite keeps POSIX's per-process quirks in check
 * (closing another descriptor of the file does not drop the lock), and a second lock attempt in
 * the same process is refused like one from another process.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  prepareDataDir(dataDir);
  let database: DatabaseSync;
  try {
    database = openLocked(join(dataDir, 'stockd.owner.lock'));
  } catch (error) {
    throw refusalOf(error, dataDir);
  }
  held.add(database);
  const lock = {
    release() {
      if (!held.delete(database)) return;
      rmSync(ownerFileOf(dataDir), { force: true });
      database.close();
    },
  };
  try {
    recordOwner(dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/** The lock file, opened with its RESERVED lock taken; throws SQLITE_BUSY if another has it. */
function openLocked(file: string): DatabaseSync {
  const database = new DatabaseSync(file, { timeout: 0 });
  try {
    // Nothing is ever written: keep SQLite from creating a -journal file next to it.
    database.exec('PRAGMA journal_mode=MEMORY');
    database.exec('BEGIN IMMEDIATE');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/** What the current holder of `dataDir` recorded about itself, if it could be read. */
export function readDataDirOwner(dataDir: string): DataDirOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFileOf(dataDir), 'utf8')) as DataDirOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerFileOf(dataDir: string): string {
  return join(dataDir, 'stockd.owner.json');
}

/** Written aside and renamed into place, so a reader sees the previous owner or this one. */
function recordOwner(dataDir: string): void {
  const owner: DataDirOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  const file = ownerFileOf(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(owner)}\n`);
  renameSync(`${file}.tmp`, file);
}

function refusalOf(error: unknown, dataDir: string): unknown {
  const { errcode } = error as { errcode?: number };
  if (errcode === sqliteBusy) {
    const owner = readDataDirOwner(dataDir);
    const by =
      owner === undefined
        ? 'another process'
        : `another stockd process (pid ${owner.pid} on host ${owner.hostname}, started ${owner.startedAt})`;
    return new DataDirError('locked', dataDir, `the data directory ${dataDir} is in use by ${by}`);
  }
  if (errcode === sqliteReadOnly || errcode === sqliteCantOpen) {
    return new DataDirError(
      'not-writable',
      dataDir,
      `cannot lock the data directory ${dataDir}: its lock file stockd.owner.lock is not writable`,
    );
  }
  return error;
}
