import { statfs } from 'node:fs/promises';
import type { ControlledWriteGate } from '../worker-protocol/write-gate.ts';

/** The fields of `fs.statfs` the guard reads. */
export interface FreeSpaceStats {
  readonly bsize: number;
  readonly bavail: number;
}

/** What readiness and metrics show of the data directory's space. */
export interface StorageStatus {
  /** True while writes are refused with STORAGE_FULL. */
  readonly refusing: boolean;
  /** When `refusing` last changed (engine clock, ms). */
  readonly sinceMs: number;
  /** Free bytes at the last reading (undefined before the first one succeeds). */
  readonly freeBytes: number | undefined;
  readonly floorBytes: number;
  /** Why writes are refused; else the last failed write, if any. */
  readonly reason?: string;
  /** Batches a worker answered STORAGE_FULL because their commit failed, since start. */
  readonly failedCommits: number;
}

export interface StorageGuardOptions {
  readonly dataDir: string;
  /** Writes are refused while fewer bytes than this are free (0: never). */
  readonly freeFloorBytes: number;
  /** Reading interval besides after commits (ms). */
  readonly checkIntervalMs: number;
  /** Where the decision is published for the workers. */
  readonly gate: ControlledWriteGate;
  readonly nowMs: () => number;
  readonly readStats?: (path: string) => Promise<FreeSpaceStats>;
}

/**
 * After a commit the free space is read again only if the last reading started longer ago
 * than this (ms): under load that is at most 20 statfs calls a second, never one per request.
 */
export const recheckGapMs = 50;

/**
 * Refuses writes before the disk is full. The free space of the data directory's filesystem
 * (statfs `bavail`: what an unprivileged process may still use) is read on a timer and after
 * commits; under the floor the write gate closes, so the engine answers writes STORAGE_FULL at
 * once and the workers postpone their own writes, and it opens again by itself once space is
 * back. lmdb-js has been seen to abort the process after a failed page write, so the floor is
 * what keeps a full disk a refusal instead of a crash.
 *
 *   timer / after a commit ─► statfs ─► free < floor ? gate closed : gate open
 */
export class StorageGuard {
  readonly #options: StorageGuardOptions;
  readonly #readStats: (path: string) => Promise<FreeSpaceStats>;
  #refusing = false;
  #sinceMs: number;
  #freeBytes: number | undefined;
  #lastFailure: string | undefined;
  #failedCommits = 0;
  #reading: Promise<void> | undefined;
  #lastReadAtMs = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: StorageGuardOptions) {
    this.#options = options;
    this.#readStats = options.readStats ?? statfs;
    this.#sinceMs = options.nowMs();
  }

  get refusing(): boolean {
    return this.#refusing;
  }

  get status(): StorageStatus {
    const reason = this.#refusing ? this.#shortageReason() : this.#lastFailure;
    return {
      refusing: this.#refusing,
      sinceMs: this.#sinceMs,
      freeBytes: this.#freeBytes,
      floorBytes: this.#options.freeFloorBytes,
      ...(reason !== undefined && { reason }),
      failedCommits: this.#failedCommits,
    };
  }

  /** Reads the free space once, then keeps reading it on the timer until `stop`. */
  async start(): Promise<void> {
    await this.check();
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A batch was committed: the space it took may have crossed the floor. */
  afterCommit(): void {
    if (this.#reading !== undefined || performance.now() - this.#lastReadAtMs < recheckGapMs) {
      return;
    }
    void this.check();
  }

  /** A worker could not commit a batch (it answered it STORAGE_FULL): read the space now. */
  commitFailed(reason: string): void {
    this.#failedCommits++;
    this.#lastFailure = `a write to the data directory failed: ${reason}`;
    void this.check();
  }

  /** One reading now (or the one under way). */
  check(): Promise<void> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<void> {
    this.#lastReadAtMs = performance.now();
    let stats: FreeSpaceStats;
    try {
      stats = await this.#readStats(this.#options.dataDir);
    } catch {
      // Unreadable for a moment (the mount is being changed): keep the last decision.
      return;
    }
    this.#freeBytes = stats.bsize * stats.bavail;
    const refusing = this.#freeBytes < this.#options.freeFloorBytes;
    if (refusing === this.#refusing) return;
    this.#refusing = refusing;
    this.#sinceMs = this.#options.nowMs();
    if (refusing) this.#options.gate.close();
    else this.#options.gate.open();
  }

  #shortageReason(): string {
    return `${formatBytes(this.#freeBytes ?? 0)} free on the filesystem of the data directory ${this.#options.dataDir}, under STOCKD_DISK_FREE_FLOOR_BYTES (${formatBytes(this.#options.freeFloorBytes)}): writes are refused until space is freed`;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.check().finally(() => this.#schedule());
    }, this.#options.checkIntervalMs);
    this.#timer.unref();
  }
}

/** Bytes as a person reads them: `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MiB`;
  if (bytes >= 1_024) return `${(bytes / 1_024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
