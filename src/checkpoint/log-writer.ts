import { assert } from '../domain/assert.ts';
import { encodeChunk, encodeFrame } from './log-codec.ts';
import type { LoggedEvent } from './logged-event.ts';
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
 * record committed synchronously in the worker's own thread: one B-tree leaf dirtied per commit
 * instead of one per partition touched, and no thread to hand the commit to and be woken by —
 * on this kind of machine a cross-thread wake-up costs more CPU than the commit (fsync included).
 * While a worker commits, the next requests gather in its channel: the next batch is larger.
 *
 *   batch N:   decide ─ append… ─ durable: commit wal[w, n] (fsync) ─► reply N
 *   batch N+1:                                 (gathering) decide ─ append… ─ durable ─► reply N+1
 *   every K records:  one transaction moves the frames into chunks log[p, firstSeq]
 *                     and removes those records (atomic: nothing is lost or doubled)
 */
export class LogWriter {
  readonly #store: Store;
  readonly #options: LogWriterOptions;
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
  append(partition: number, events: readonly LoggedEvent[]): void {
    const firstSeq = events[0]!.seq;
    assert(events.at(-1)!.seq === firstSeq + events.length - 1, 'a frame is a dense seq range');
    const frame = encodeFrame(events);
    const lastTimestampMs = events.at(-1)!.timestampMs;
    this.#batch.push({ partition, firstSeq, eventCount: events.length, lastTimestampMs, frame });
  }

  /**
   * Commits what was appended since the last commit as one record; when it returns, everything
   * appended is on disk. Returns whether there was anything to commit.
   */
  durable(): boolean {
    if (this.#batch.length === 0) return false;
    const key: [number, number] = [this.#options.workerIndex, this.#nextRecordNumber++];
    this.#store.wal.putSync(key, encodeWalRecord(this.#batch));
    // Only now may compaction see these frames: a compaction running between append and commit
    // (a checkpoint started meanwhile) would otherwise put uncommitted events on disk.
    for (const entry of this.#batch) this.#pend(entry);
    this.#batch = [];
    this.#pendingRecords.push(key);
    if (this.#pendingRecords.length >= this.#options.compactEveryRecords) void this.compact();
    return true;
  }

  /** Adds a committed frame to its partition's next chunk. */
  #pend({ partition, firstSeq, eventCount, lastTimestampMs, frame }: WalEntry): void {
    const pending = this.#pendingChunks.get(partition);
    if (pending === undefined) {
      this.#pendingChunks.set(partition, {
        firstSeq,
        frames: [frame],
        eventCount,
        lastTimestampMs,
      });
    } else {
      assert(firstSeq === pending.firstSeq + pending.eventCount, 'frames follow each other');
      pending.frames.push(frame);
      pending.eventCount += eventCount;
      pending.lastTimestampMs = lastTimestampMs;
    }
  }

  /**
   * Moves every frame committed so far into its partition's chunk and removes those write-ahead
   * records, in one asynchronous transaction; resolves when it is committed.
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
