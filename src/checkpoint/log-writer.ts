import { assert } from '../domain/assert.ts';
import { encodeChunk, encodeFrame } from './log-codec.ts';
import type { LogEntry } from './logged-event.ts';
import type { Store } from './store.ts';
import { encodeWalRecord, type WalEntry } from './wal-codec.ts';

/** Frames of one partition waiting in the write-ahead records for compaction. */
interface PendingChunk {
  readonly firstSeq: number;
  readonly frames: Uint8Array[];
  eventCount: number;
  lastTimestampMs: number;
}

export interface LogWriterOptions {
  /** Whose write-ahead records these are (the key space [workerIndex, n] of `wal`). */
  readonly workerIndex: number;
  /** Compaction runs after this many write-ahead records. */
  readonly compactEveryRecords: number;
}

/**
 * Group commit through a write-ahead record. A batch's events, every partition's, become ONE
 * put: one B-tree leaf dirtied per commit instead of one per partition touched. `durable()`
 * waits for that put's transaction to be committed and fsynced.
 *
 *   batch N:   decide ─ append… ─ durable: put wal[w, n] ─ committed ─ fsynced ─► reply N
 *   batch N+1:              decide ─ append… ─ durable: put wal[w, n+1] ────────────► reply N+1
 *   every K records:  one transaction moves the frames into chunks log[p, firstSeq]
 *                     and removes those records (atomic: nothing is lost or doubled)
 *
 * LMDB commits in order, so when batch N+1 is durable so is everything before it. Compaction
 * need not wait for fsync: until its transaction is durable the records it removes still are.
 */
export class LogWriter {
  readonly #store: Store;
  readonly #options: LogWriterOptions;
  /** With `separateFlushed` (store.ts) every write's promise carries its own `flushed`. */
  #lastWrite: (Promise<boolean> & { flushed?: Promise<void> }) | undefined;
  #batch: WalEntry[] = [];
  #nextRecordNumber = 1;
  #pendingRecords: [number, number][] = [];
  #pendingChunks = new Map<number, PendingChunk>();
  #lastCompaction: Promise<unknown> = Promise.resolve();

  constructor(store: Store, options: LogWriterOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Adds one partition's events of the current batch; they are written by `durable()`. */
  append(partition: number, events: readonly LogEntry[]): void {
    const firstSeq = events[0]!.seq;
    assert(events.at(-1)!.seq === firstSeq + events.length - 1, 'a frame is a dense seq range');
    const frame = encodeFrame(events);
    const lastTimestampMs = events.at(-1)!.timestampMs;
    this.#batch.push({ partition, firstSeq, eventCount: events.length, lastTimestampMs, frame });
    const pending = this.#pendingChunks.get(partition);
    if (pending === undefined) {
      this.#pendingChunks.set(partition, {
        firstSeq,
        frames: [frame],
        eventCount: events.length,
        lastTimestampMs,
      });
    } else {
      assert(firstSeq === pending.firstSeq + pending.eventCount, 'frames follow each other');
      pending.frames.push(frame);
      pending.eventCount += events.length;
      pending.lastTimestampMs = lastTimestampMs;
    }
  }

  /** Writes the current batch and resolves when everything appended so far is on disk. */
  async durable(): Promise<void> {
    if (this.#batch.length > 0) {
      const key: [number, number] = [this.#options.workerIndex, this.#nextRecordNumber++];
      this.#lastWrite = this.#store.wal.put(key, encodeWalRecord(this.#batch));
      this.#batch = [];
      this.#pendingRecords.push(key);
      if (this.#pendingRecords.length >= this.#options.compactEveryRecords) this.compact();
    }
    const lastWrite = this.#lastWrite;
    if (lastWrite === undefined) return;
    await lastWrite;
    // Its own transaction's fsync, not every later one's: under load `db.flushed` would also
    // wait for batches committed after this one.
    await (lastWrite.flushed ?? this.#store.root.flushed);
  }

  /**
   * Moves every frame written so far into its partition's chunk and removes those write-ahead
   * records, in one transaction; resolves when it is committed (not necessarily fsynced).
   */
  compact(): Promise<unknown> {
    if (this.#pendingRecords.length === 0) return this.#lastCompaction;
    const records = this.#pendingRecords;
    const chunks = this.#pendingChunks;
    this.#pendingRecords = [];
    this.#pendingChunks = new Map();
    const { log, wal } = this.#store;
    this.#lastCompaction = this.#store.root.transaction(() => {
      for (const [partition, chunk] of chunks) {
        log.put([partition, chunk.firstSeq], encodeChunk(chunk.frames, chunk));
      }
      for (const key of records) wal.remove(key);
    });
    return this.#lastCompaction;
  }
}
