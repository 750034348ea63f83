import { assert } from '../domain/assert.ts';
import { encodeChunk, encodeFrame } from './log-codec.ts';
import type { LogEntry } from './logged-event.ts';
import { StorageWriteError, writing, written } from './storage-write-error.ts';
import type { Store } from './store.ts';
import { decodeWalRecord, encodeWalRecord, type WalEntry } from './wal-codec.ts';

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
  /** A group of at least this many events commits on LMDB's write thread (see `durable`). */
  readonly asyncCommitEventsMin: number;
}

/**
 * Group commit through a write-ahead record. A batch's events, every partition's, become ONE
 * record: one B-tree leaf dirtied per commit instead of one per partition touched. Small groups
 * commit synchronously in the worker's own thread — no thread to hand the commit to and be woken
 * by: on few cores a cross-thread wake-up costs more CPU than the commit, fsync included — and
 * while a worker commits, the next requests gather in its channel. Large groups commit on LMDB's
 * write thread while the worker decides on (see `durable`).
 *
 *   batch N:   decide ─ append… ─ durable: commit wal[w, n] (fsync) ─► reply N
 *   batch N+1:                                 (gathering) decide ─ append… ─ durable ─► reply N+1
 *   every K records:  one transaction moves the frames into chunks log[p, firstSeq]
 *                     and removes those records (atomic: nothing is lost or doubled)
 *
 * A failed write (no space, an I/O error) leaves the writer refusing every commit and
 * compaction with that StorageWriteError until `resync` rebuilds it from the store: no record
 * may land after one that did not, and no compaction may leave a gap between chunks.
 */
export class LogWriter {
  readonly #store: Store;
  readonly #options: LogWriterOptions;
  #batch: WalEntry[] = [];
  #nextRecordNumber = 1;
  #pendingRecords: [number, number][] = [];
  #pendingChunks = new Map<number, PendingChunk>();
  #lastCompaction: Promise<unknown> = Promise.resolve();
  /** The commit running on LMDB's write thread, until it is on disk. */
  #asyncCommit: Promise<void> | undefined;
  /** What was appended while `#asyncCommit` runs: it commits when that one lands. */
  #gathering: PromiseWithResolvers<void> | undefined;
  /**
   * A write of this writer failed: until `resync`, what it holds in memory no longer matches
   * the store, so every commit and compaction refuses with this error.
   */
  #failure: StorageWriteError | undefined;

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
  }

  /** Adds a written frame to its partition's next chunk. */
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
   * Commits what was appended since the last commit as one record. Returns undefined when that
   * is done and on disk; a promise when the commit runs on LMDB's write thread (a large group,
   * or one behind such a commit), resolving once it is on disk.
   *
   * A small group commits synchronously here: handing it to another thread and being woken when
   * it is done costs more than the commit. A large one commits asynchronously, so the worker
   * decides the next batches meanwhile — the wake-up is amortised over many requests.
   *
   * At most one asynchronous commit is under way: what is appended while it runs gathers, and
   * goes as ONE record in the commit that starts when it lands (classic group commit), however
   * many times `durable` was called meanwhile. Commits stay in decision order: a synchronous
   * commit never overtakes an asynchronous one.
   */
  durable(): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#gathering !== undefined) return this.#gathering.promise;
    if (this.#batch.length === 0) return this.#asyncCommit;
    let events = 0;
    for (const entry of this.#batch) events += entry.eventCount;
    if (this.#asyncCommit === undefined && events < this.#options.asyncCommitEventsMin) {
      this.#commitSync();
      return undefined;
    }
    if (this.#asyncCommit === undefined) return this.#commitAsync();
    const gathering = Promise.withResolvers<void>();
    // Read only through durable() and settled(): an unobserved failure is still the writer's.
    gathering.promise.catch(() => {});
    this.#gathering = gathering;
    this.#asyncCommit.then(
      () => {
        this.#gathering = undefined;
        if (this.#failure !== undefined) gathering.reject(this.#failure);
        else this.#commitAsync().then(gathering.resolve, gathering.reject);
      },
      (error: unknown) => {
        // Nothing may land after a record that did not: the gathered group fails with it.
        this.#gathering = undefined;
        gathering.reject(error);
      },
    );
    return gathering.promise;
  }

  /** Takes everything appended as the next record: its key, its bytes, its entries. */
  #takeRecord(): { key: [number, number]; record: Uint8Array; entries: WalEntry[] } {
    const key: [number, number] = [this.#options.workerIndex, this.#nextRecordNumber++];
    const entries = this.#batch;
    this.#batch = [];
    return { key, record: encodeWalRecord(entries), entries };
  }

  /**
   * Only once their record is written may compaction see these frames: one running between
   * append and commit (a checkpoint started meanwhile) would put uncommitted events on disk.
   * An asynchronous write is safe too: compaction's transaction waits for it (`compact`).
   */
  #queueForCompaction(key: [number, number], entries: readonly WalEntry[]): void {
    this.#pendingRecords.push(key);
    for (const entry of entries) this.#pend(entry);
    if (this.#pendingRecords.length >= this.#options.compactEveryRecords) void this.compact();
  }

  #commitSync(): void {
    const { key, record, entries } = this.#takeRecord();
    try {
      writing(() => this.#store.wal.putSync(key, record));
    } catch (error) {
      throw this.#failed(error);
    }
    this.#queueForCompaction(key, entries);
  }

  #commitAsync(): Promise<void> {
    const { key, record, entries } = this.#takeRecord();
    const commit = written(this.#store.wal.put(key, record)).then(
      (done) => assert(done, 'a write-ahead record is always written'),
      (error: unknown) => {
        throw this.#failed(error);
      },
    );
    this.#asyncCommit = commit;
    const settled = () => {
      if (this.#asyncCommit === commit) this.#asyncCommit = undefined;
    };
    commit.then(settled, settled);
    this.#queueForCompaction(key, entries);
    return commit;
  }

  /**
   * Moves every frame committed so far into its partition's chunk and removes those write-ahead
   * records, in one asynchronous transaction; resolves when it is committed.
   */
  compact(): Promise<unknown> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#pendingRecords.length === 0) return this.#lastCompaction;
    const records = this.#pendingRecords;
    const chunks = this.#pendingChunks;
    this.#pendingRecords = [];
    this.#pendingChunks = new Map();
    const { log, wal } = this.#store;
    const transaction = () =>
      written(
        this.#store.root.transaction(() => {
          for (const [partition, chunk] of chunks) {
            log.put([partition, chunk.firstSeq], encodeChunk(chunk.frames, chunk));
          }
          for (const key of records) wal.remove(key);
        }),
      );
    // After the newest commit under way (its record is among these) and the compaction before
    // this one, and only if both landed: one that failed leaves its records in the write-ahead
    // space, and chunks written after them would leave a gap in the log.
    const behind =
      this.#asyncCommit === undefined
        ? this.#lastCompaction
        : Promise.all([this.#asyncCommit, this.#lastCompaction]);
    const compaction = behind.then(transaction).catch((error: unknown) => {
      throw this.#failed(error);
    });
    // Started in passing by `durable`: its failure is the writer's, seen by the next commit.
    compaction.catch(() => {});
    this.#lastCompaction = compaction;
    return compaction;
  }

  /** The failure that stopped this writer, until `resync`. */
  get failure(): StorageWriteError | undefined {
    return this.#failure;
  }

  /** Resolves once every commit and compaction started so far has landed or failed. */
  async settled(): Promise<void> {
    await Promise.allSettled([this.#gathering?.promise, this.#asyncCommit, this.#lastCompaction]);
    // A gathered group starts its commit only as the one before it lands.
    await Promise.allSettled([this.#asyncCommit, this.#lastCompaction]);
  }

  /**
   * After a failed write, once `settled`: forgets everything appended and not committed, and
   * rebuilds what compaction is to move from this worker's write-ahead records in the store —
   * exactly those committed and not yet compacted, since compaction is one transaction.
   */
  resync(): void {
    this.#batch = [];
    this.#pendingRecords = [];
    this.#pendingChunks = new Map();
    this.#asyncCommit = undefined;
    this.#gathering = undefined;
    this.#lastCompaction = Promise.resolve();
    this.#failure = undefined;
    const worker = this.#options.workerIndex;
    for (const { key, value } of this.#store.wal.getRange({
      start: [worker, 0],
      end: [worker + 1, 0],
    })) {
      this.#pendingRecords.push(key);
      this.#nextRecordNumber = Math.max(this.#nextRecordNumber, key[1] + 1);
      for (const entry of decodeWalRecord(value)) this.#pend(entry);
    }
  }

  #failed(error: unknown): unknown {
    if (!(error instanceof StorageWriteError)) return error;
    this.#failure ??= error;
    return error;
  }
}
