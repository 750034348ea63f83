import { assert } from '../domain/assert.ts';
import { encodeChunk } from './log-codec.ts';
import type { LoggedEvent } from './logged-event.ts';
import type { Store } from './store.ts';

/**
 * Group commit. Puts queued together land in one LMDB transaction (lmdb-js batches them on its
 * write thread); `durable()` waits for the newest put to be committed and then for that
 * transaction to be fsynced.
 *
 *   batch N:   decide ─ put ─ await durable ───────────────► reply N
 *   batch N+1:            decide ─ put ─ await durable ──────────► reply N+1
 *
 * LMDB commits in order, so when batch N+1 is durable so is everything before it.
 */
export class LogWriter {
  readonly #store: Store;
  /** With `separateFlushed` (store.ts) every write's promise carries its own `flushed`. */
  #lastWrite: (Promise<boolean> & { flushed?: Promise<void> }) | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  append(partition: number, events: readonly LoggedEvent[]): void {
    const firstSeq = events[0]!.seq;
    assert(events.at(-1)!.seq === firstSeq + events.length - 1, 'a chunk is a dense seq range');
    this.#lastWrite = this.#store.log.put([partition, firstSeq], encodeChunk(events));
  }

  /** Resolves when every append made so far is on disk; rejects if a write failed. */
  async durable(): Promise<void> {
    const lastWrite = this.#lastWrite;
    if (lastWrite === undefined) return;
    await lastWrite;
    // Its own transaction's fsync, not every later one's: under load `db.flushed` would also
    // wait for batches committed after this one.
    await (lastWrite.flushed ?? this.#store.log.flushed);
  }
}
