import { newestLoggedSeq } from '../checkpoint/log-reader.ts';
import type { LogWriter } from '../checkpoint/log-writer.ts';
import type { LogEntry, LoggedOrderEvent } from '../checkpoint/logged-event.ts';
import { readPublishedSeq } from '../checkpoint/published-position.ts';
import { written as landed, StorageWriteError } from '../checkpoint/storage-write-error.ts';
import type { Store } from '../checkpoint/store.ts';
import { truncatePartitionLog } from '../checkpoint/truncation.ts';
import { readWal } from '../checkpoint/wal-view.ts';
import { assert } from '../domain/assert.ts';
import { hasUnfinishedWork } from '../domain/order.ts';
import { isOrderEvent } from '../domain/order-events.ts';
import type { Reservation } from '../domain/reservation.ts';
import { creationSeqOf, parseReservationId } from '../domain/reservation-id.ts';
import type { ResultViews } from '../worker-protocol/lean-results.ts';
import { type EngineRequest, isReadRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { HousekeepingCounts } from '../worker-protocol/tasks.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import type { WorkerStats } from '../worker-protocol/worker-stats.ts';
import { type WriteGate, workerWriteGate } from '../worker-protocol/write-gate.ts';
import { BatchLedger } from './batch-ledger.ts';
import { execute } from './execute.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import { HoldRetentionQueue } from './hold-retention-queue.ts';
import type { PartitionActor, PartitionImage } from './partition-actor.ts';
import { takeSnapshot, writeSnapshot } from './partition-snapshots.ts';
import { recoverPartition } from './recovery.ts';
import { RetentionQueue } from './retention-queue.ts';
import { WorkerCounters } from './worker-counters.ts';

interface OrderDeadline {
  readonly dueAtMs: number;
  readonly partition: number;
  readonly orderId: string;
}

export interface SnapshotMark {
  readonly seq: number;
  readonly atMs: number;
}

export interface WorkerRuntimeParts {
  readonly settings: WorkerSettings;
  readonly store: Store;
  readonly log: LogWriter;
  readonly actors: readonly PartitionActor[];
  readonly snapshots: ReadonlyMap<number, SnapshotMark>;
  readonly recovery: WorkerStats['recovery'];
  /** Now in ms since the epoch, never going backwards (worker-protocol/clock.ts). */
  readonly clock: () => number;
  /** Told of every partition reloaded from the store after a failed commit (the simulation). */
  readonly onReloaded?: (actor: PartitionActor) => void;
}

/** A write refused while the write gate is closed: the data directory is short of space. */
const storageFull: EngineResult = Object.freeze({ ok: false, code: 'STORAGE_FULL' });

/**
 * One worker thread's actors and their housekeeping. A batch runs as
 *   load → decide and apply every request (one synchronous loop) → append the events → fsync
 * and only then resolves with the results, so no reply ever gets ahead of the disk.
 * Expiry goes through the same path as client commands. Housekeeping (expiry, forgetting settled
 * reservations, snapshots and log truncation) runs on timers (`start`) or when asked
 * (`runHousekeeping`), the only way under a manual clock.
 *
 * While the write gate is closed (the data directory is short of space, write-gate.ts) writes
 * are answered STORAGE_FULL and housekeeping writes nothing. If a commit fails anyway, memory is
 * ahead of the store: the runtime refuses every commit until it has reloaded the partitions
 * concerned from the store — snapshot, log and write-ahead records, as at start-up — and
 * decides nothing meanwhile (`recovering`; the batch server holds new batches back):
 *
 *   commit fails ─► its batches and all decided after: STORAGE_FULL ─► writes under way settle
 *     ─► the log writer resyncs from the store ─► every partition whose newest seq is ahead of
 *     the store is reloaded ─► deadlines rebuilt ─► deciding again
 */
export class WorkerRuntime {
  readonly #settings: WorkerSettings;
  readonly #store: Store;
  readonly #log: LogWriter;
  readonly #actors = new Map<number, PartitionActor>();
  readonly #snapshots: Map<number, SnapshotMark>;
  /**
   * What a partition without a snapshot counts its interval from: this runtime's start. From
   * time zero, every partition of a new store would be due at its first event, and the first
   * minutes of a run would snapshot one partition after another.
   */
  readonly #noSnapshotMark: SnapshotMark;
  #expiry = new ExpiryQueue();
  #retention: HoldRetentionQueue;
  /** Settled orders waiting out the same retention as settled reservations. */
  #orderRetention: RetentionQueue<OrderDeadline>;
  readonly #clock: () => number;
  readonly #gate: WriteGate;
  readonly #onReloaded: ((actor: PartitionActor) => void) | undefined;
  /** The failed commit being repaired, until the partitions are reloaded. */
  #failure: StorageWriteError | undefined;
  #lastFailure: StorageWriteError | undefined;
  #recovering: Promise<void> | undefined;
  readonly #closeWarnings: string[] = [];
  readonly #batches = new BatchLedger();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #counters = new WorkerCounters();
  readonly #recovery: WorkerStats['recovery'];
  #closed = false;
  #stopping = false;
  /** Housekeeping under way, from timers and explicit runs; close waits for all of it. */
  readonly #housekeeping = new Set<Promise<unknown>>();

  constructor(parts: WorkerRuntimeParts) {
    this.#settings = parts.settings;
    this.#store = parts.store;
    this.#log = parts.log;
    this.#clock = parts.clock;
    this.#gate = workerWriteGate(parts.settings.writeGate);
    this.#onReloaded = parts.onReloaded;
    this.#snapshots = new Map(parts.snapshots);
    this.#noSnapshotMark = { seq: 0, atMs: parts.clock() };
    this.#retention = new HoldRetentionQueue(parts.settings.settledReservationsMax);
    this.#recovery = parts.recovery;
    this.#orderRetention = new RetentionQueue(parts.settings.settledOrdersMax);
    for (const actor of parts.actors) this.#actors.set(actor.partition, actor);
    this.#scheduleDeadlines();
  }

  /** Expiry and retention deadlines of every reservation and order the actors hold. */
  #scheduleDeadlines(): void {
    this.#expiry = new ExpiryQueue();
    this.#retention = new HoldRetentionQueue(this.#settings.settledReservationsMax);
    this.#orderRetention = new RetentionQueue(this.#settings.settledOrdersMax);
    const settled: Reservation[] = [];
    const settledOrders: OrderDeadline[] = [];
    for (const actor of this.#actors.values()) {
      for (const reservation of actor.reservations()) {
        if (reservation.status !== 'HELD') settled.push(reservation);
        else if (reservation.orderId === undefined) {
          this.#scheduleExpiry(
            actor.partition,
            creationSeqOf(reservation.reservationId),
            reservation,
          );
        }
      }
      for (const order of actor.orders.values()) {
        if (order.status === 'HELD' || hasUnfinishedWork(order)) continue;
        const dueAtMs = order.updatedAtMs + this.#settings.reservationRetentionMs;
        settledOrders.push({ dueAtMs, partition: actor.partition, orderId: order.orderId });
      }
    }
    settled.sort((a, b) => a.updatedAtMs - b.updatedAtMs);
    for (const reservation of settled) this.#scheduleForgetting(reservation);
    settledOrders.sort((a, b) => a.dueAtMs - b.dueAtMs);
    for (const deadline of settledOrders) this.#orderRetention.push(deadline);
  }

  /** Decides a batch and commits it: when it resolves, the batch's events are on disk. */
  async runBatch(
    requests: readonly EngineRequest[],
    partitions: readonly number[],
  ): Promise<EngineResult[]> {
    const results = this.decideBatch(requests, partitions);
    await this.commit();
    return results;
  }

  /**
   * Decides and applies every request of a batch (one synchronous loop) and appends its events
   * to the log, uncommitted: the results must not be answered before `commit()`. Several
   * batches may be decided before one commit (group commit, batch-server.ts).
   */
  decideBatch(
    requests: readonly EngineRequest[],
    partitions: readonly number[],
    views: ResultViews = 'full',
  ): EngineResult[] {
    assert(!this.#closed, 'no batches after close');
    assert(this.#recovering === undefined, 'no decisions while partitions are ahead of the store');
    const nowMs = this.#clock();
    const refusingWrites = this.#gate.closed;
    const emitted = new Map<number, LogEntry[]>();
    const sink = (event: LogEntry, touched: Reservation | undefined) => {
      const events = emitted.get(event.partition);
      if (events === undefined) emitted.set(event.partition, [event]);
      else events.push(event);
      if (touched !== undefined) this.#track(event, touched);
      else if (isOrderEvent(event)) this.#trackOrder(event);
    };
    const results = new Array<EngineResult>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const actor = this.#actors.get(partitions[i]!);
      assert(actor !== undefined, () => `partition ${partitions[i]} is owned by this worker`);
      const result =
        refusingWrites && !isReadRequest(requests[i]!)
          ? storageFull
          : execute(actor, requests[i]!, nowMs, sink, views);
      this.#counters.countCommand(requests[i]!.type, result);
      results[i] = result;
    }
    for (const [partition, events] of emitted) {
      this.#log.append(partition, events);
      this.#counters.eventsWritten += events.length;
    }
    this.#counters.batches++;
    this.#counters.batchRequestsSum += requests.length;
    this.#batches.decided();
    return results;
  }

  /** How many batches were decided so far: the number of the last one. */
  get decidedBatches(): number {
    return this.#batches.last;
  }

  /**
   * Whether batch `number` (of `decidedBatches`) is on disk. One that a failed commit lost is
   * not, and never will be — it must be answered STORAGE_FULL, whichever commit it was in (the
   * batch server's own, or one a checkpoint made first), even once commits succeed again.
   */
  isDurable(number: number): boolean {
    return this.#batches.isDurable(number);
  }

  /**
   * Commits (fsync included) everything decided so far: undefined when it is done, or a promise
   * when it runs on LMDB's write thread (log-writer.ts). Throws or rejects if the write failed:
   * with a StorageWriteError when the store could not take it, and then `recovering` is set and
   * every commit fails with the same error until the partitions are reloaded.
   */
  commit(): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    const commitStartedAt = performance.now();
    // Everything decided so far is in this commit or in one before it (still under way or not).
    const covered = this.#batches.last;
    let committing: Promise<void> | undefined;
    try {
      committing = this.#log.durable();
    } catch (error) {
      throw this.#commitFailed(error);
    }
    if (committing === undefined) {
      this.#committed(covered, commitStartedAt);
      return undefined;
    }
    return committing.then(
      () => this.#committed(covered, commitStartedAt),
      (error: unknown) => {
        throw this.#commitFailed(error);
      },
    );
  }

  #committed(covered: number, startedAt: number): void {
    this.#batches.committed(covered);
    this.#counters.countCommit(startedAt);
  }

  /** What a snapshot of the partition would hold now (tests compare it with a replay). */
  imageOf(partition: number): PartitionImage {
    const actor = this.#actors.get(partition);
    assert(actor !== undefined, () => `partition ${partition} is owned by this worker`);
    return actor.image();
  }

  /** The last failed commit's error (the reason a lost batch is refused with). */
  get lastFailure(): StorageWriteError | undefined {
    return this.#lastFailure;
  }

  /** Set from a failed commit until the partitions it left ahead of the store are reloaded. */
  get recovering(): Promise<void> | undefined {
    return this.#recovering;
  }

  /** A failed write of the log: starts the reload (once), and returns the error to throw. */
  #commitFailed(error: unknown): unknown {
    if (!(error instanceof StorageWriteError)) return error;
    if (this.#failure === undefined) {
      this.#failure = error;
      this.#lastFailure = error;
      this.#counters.failedCommits++;
      // Every batch not yet on disk was in the failed commit or decided behind it.
      this.#batches.failed();
      this.#recovering = this.#reloadAhead().catch((bug: unknown) => {
        // The store cannot be read back: memory and disk cannot be reconciled. Crash the
        // thread; the engine sees the worker error and stops the process.
        setImmediate(() => {
          throw bug;
        });
      });
    }
    return this.#failure;
  }

  /**
   * Recovery after a failed commit, for the partitions it concerns: once every write under way
   * has landed or failed, each partition whose memory has a newer seq than the store holds is
   * rebuilt from the store with start-up's own code (recovery.ts). Partitions the failure did not
   * touch stay as they are.
   */
  async #reloadAhead(): Promise<void> {
    await this.#log.settled();
    await Promise.allSettled([...this.#housekeeping]);
    this.#log.resync();
    const wal = readWal(this.#store);
    for (const actor of [...this.#actors.values()]) {
      const storedSeq = Math.max(
        newestLoggedSeq(this.#store, actor.partition, wal),
        this.#snapshots.get(actor.partition)?.seq ?? 0,
      );
      if (actor.nextSeq - 1 <= storedSeq) continue;
      const reloaded = recoverPartition(this.#store, actor.partition, this.#settings).actor;
      this.#actors.set(actor.partition, reloaded);
      this.#counters.partitionReloads++;
      this.#onReloaded?.(reloaded);
    }
    // Holds that were expired or settled only in memory are HELD again, and holds made only in
    // memory are gone: their deadlines are rebuilt from what the actors now hold.
    this.#scheduleDeadlines();
    this.#failure = undefined;
    this.#recovering = undefined;
  }

  /** Writes of housekeeping wait while space is short or a failed commit is being repaired. */
  get #writesPaused(): boolean {
    return this.#gate.closed || this.#failure !== undefined || this.#log.failure !== undefined;
  }

  /**
   * Expires due holds through the logged path, in batches of at most `expiryBatchMax`, until
   * none is due or `batchesMax` batches ran; returns how many were expired.
   */
  async expireDue(batchesMax = 1): Promise<number> {
    let expired = 0;
    for (let batch = 0; batch < batchesMax && !this.#writesPaused; batch++) {
      const due = this.#expiry.popDue(this.#clock(), this.#settings.expiryBatchMax);
      if (due.length === 0) break;
      const requests = due.map((d) => ({
        type: 'Expire' as const,
        reservationId: d.reservationId,
      }));
      const results = await this.runBatch(
        requests,
        due.map((d) => d.partition),
      );
      expired += results.filter((r) => r.ok && r.applied).length;
    }
    this.#counters.expired += expired;
    return expired;
  }

  /** Forgets settled reservations whose retention has passed, at most `limit` of them. */
  forgetSettled(limit = 100_000): number {
    const due = this.#retention.popDue(this.#clock(), limit);
    for (const deadline of due)
      this.#actors.get(deadline.partition)!.forget(deadline.reservationId);
    this.#counters.forgotten += due.length;
    for (const deadline of this.#orderRetention.popDue(this.#clock(), limit)) {
      this.#actors.get(deadline.partition)!.orders.forget(deadline.orderId);
    }
    return due.length;
  }

  /**
   * Compacts the write-ahead records, snapshots partitions that are due (all changed ones when
   * `force`), then truncates their logs
   * below what is snapshotted, published and out of the retention window. Unless forced, at most
   * `partitionsMax` partitions, to spread snapshot work over timer ticks.
   */
  async checkpoint(
    force: boolean,
    partitionsMax = force ? Number.POSITIVE_INFINITY : 1,
  ): Promise<number> {
    const nowMs = this.#clock();
    // A compaction that failed in passing: repair the log writer before anything else is due.
    if (this.#log.failure !== undefined) this.#commitFailed(this.#log.failure);
    if (this.#writesPaused) return 0;
    // Every timer tick, too: write-ahead records wait at most one tick to become chunks.
    await this.#log.compact();
    let written = 0;
    for (const partition of [...this.#actors.keys()]) {
      if (this.#writesPaused) break;
      // The current actor: a reload after a failed commit may have replaced it meanwhile.
      const actor = this.#actors.get(partition)!;
      const mark = this.#snapshots.get(actor.partition) ?? this.#noSnapshotMark;
      const lastSeq = actor.nextSeq - 1;
      if (lastSeq === mark.seq) continue;
      const due =
        force ||
        lastSeq - mark.seq >= snapshotEventsDue(actor, this.#settings.snapshotEveryEvents) ||
        nowMs - mark.atMs >= this.#settings.snapshotIntervalMs;
      if (!due) continue;
      // A snapshot holds only what is committed: batches decided while this checkpoint awaited
      // the disk are committed first (their replies follow from the batch server as usual), and
      // the snapshot is written once their record is on disk.
      const snapshot = takeSnapshot(actor.image(), nowMs);
      const failuresBefore = this.#counters.failedCommits;
      await this.commit();
      // A commit that failed meanwhile (and a reload already done) may have lost part of what
      // the image holds: no snapshot of it, the next checkpoint takes one of the reloaded actor.
      if (this.#counters.failedCommits !== failuresBefore) break;
      await landed(writeSnapshot(this.#store, snapshot));
      this.#snapshots.set(actor.partition, { seq: lastSeq, atMs: nowMs });
      this.#counters.snapshotsWritten++;
      written++;
      this.#counters.chunksTruncated += await truncatePartitionLog(this.#store, actor.partition, {
        snapshotSeq: lastSeq,
        publishedSeq: this.#settings.replicationEnabled
          ? readPublishedSeq(this.#store, actor.partition)
          : Number.POSITIVE_INFINITY,
        keepSinceMs: nowMs - this.#settings.logRetentionMs,
        chunksMax: 1_000,
      });
      if (written >= partitionsMax) break;
    }
    return written;
  }

  /**
   * One housekeeping pass now: every due expiry, every settled reservation past retention, and
   * a snapshot (with truncation) of every partition that is due. Resolves once it is all on disk.
   */
  runHousekeeping(): Promise<HousekeepingCounts> {
    assert(!this.#stopping, 'no housekeeping after close');
    return this.#tracked(async () => {
      const expired = await this.expireDue(Number.POSITIVE_INFINITY);
      const forgotten = this.forgetSettled(Number.POSITIVE_INFINITY);
      const snapshotsWritten = await this.checkpoint(false, Number.POSITIVE_INFINITY);
      await this.#store.root.flushed;
      return { expired, forgotten, snapshotsWritten };
    });
  }

  /**
   * Starts the expiry, retention and snapshot timers (system clock only: under a manual clock
   * time moves when a test says so, and so does housekeeping). Errors in them are fatal (thrown).
   */
  start(): void {
    this.#every(this.#settings.expiryIntervalMs, async () => {
      await this.expireDue();
      this.forgetSettled();
    });
    this.#every(Math.min(250, this.#settings.snapshotIntervalMs), () => this.checkpoint(false));
  }

  /**
   * Stops housekeeping; with `checkpoint`, snapshots every changed partition for a fast start.
   * Short of space, or when those writes fail, it closes without them and says so in
   * `closeWarnings`: every acknowledged batch is already on disk, and the next start compacts
   * the write-ahead records and replays the log.
   */
  async close(checkpoint: boolean): Promise<WorkerStats> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled(this.#housekeeping);
    await this.#recovering;
    if (this.#gate.closed) {
      this.#closeWarnings.push(
        `worker ${this.#settings.workerIndex}: the data directory is short of space: no final snapshot or compaction; the next start replays the log`,
      );
    } else {
      try {
        if (checkpoint) await this.checkpoint(true);
        await this.commit();
        await this.#log.compact();
        await this.#store.root.flushed;
      } catch (error) {
        if (!(error instanceof StorageWriteError)) throw error;
        await this.#log.settled();
        this.#closeWarnings.push(
          `worker ${this.#settings.workerIndex}: the final snapshot or compaction failed (${error.message}); the next start replays the log`,
        );
      }
    }
    this.#closed = true;
    return this.stats();
  }

  stats(): WorkerStats {
    let items = 0;
    let reservations = 0;
    const snapshotAtMs: Record<number, number> = {};
    const snapshotSeq: Record<number, number> = {};
    const lastSeq: Record<number, number> = {};
    for (const actor of this.#actors.values()) {
      items += actor.items.size;
      reservations += actor.reservationCount;
      snapshotAtMs[actor.partition] = this.#snapshots.get(actor.partition)?.atMs ?? 0;
      snapshotSeq[actor.partition] = this.#snapshots.get(actor.partition)?.seq ?? 0;
      lastSeq[actor.partition] = actor.nextSeq - 1;
    }
    const memory = process.memoryUsage();
    return {
      workerIndex: this.#settings.workerIndex,
      ...this.#counters.fields(),
      closeWarnings: [...this.#closeWarnings],
      items,
      reservations,
      pendingDeadlines: this.#expiry.size,
      snapshotAtMs,
      snapshotSeq,
      lastSeq,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      recovery: this.#recovery,
    };
  }

  #track(event: LogEntry, reservation: Reservation): void {
    if (event.type === 'StockReserved') {
      // An order's lines expire with their order (its coordinator), never on their own.
      if (reservation.orderId === undefined) {
        this.#scheduleExpiry(event.partition, event.seq, reservation);
      }
    } else if (reservation.status !== 'HELD') {
      this.#scheduleForgetting(reservation);
    }
  }

  /** A settled order is kept as long as a settled reservation, then forgotten. */
  #trackOrder(event: LoggedOrderEvent): void {
    if (event.type === 'OrderFailed' || event.type === 'OrderSettled') {
      this.#orderRetention.push({
        dueAtMs: event.timestampMs + this.#settings.reservationRetentionMs,
        partition: event.partition,
        orderId: event.orderId,
      });
    }
  }

  /** `creationSeq`: the seq of the StockReserved that created the hold (its id names it). */
  #scheduleExpiry(partition: number, creationSeq: number, reservation: Reservation): void {
    this.#expiry.push({ dueAtMs: reservation.expiresAtMs, partition, creationSeq });
  }

  #scheduleForgetting(reservation: Reservation): void {
    const { partition, seq } = parseReservationId(reservation.reservationId)!;
    this.#retention.push({
      dueAtMs: reservation.updatedAtMs + this.#settings.reservationRetentionMs,
      partition,
      creationSeq: seq,
    });
  }

  /** Runs `work`, remembered as housekeeping under way until it settles. */
  #tracked<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.#housekeeping.add(running);
    const settled = () => this.#housekeeping.delete(running);
    running.then(settled, settled);
    return running;
  }

  #every(intervalMs: number, work: () => Promise<unknown>): void {
    const run = () => {
      this.#timers.delete(timer);
      this.#tracked(work).then(
        () => {
          if (!this.#stopping) this.#every(intervalMs, work);
        },
        (error: unknown) => {
          // A write the store could not take: a failed commit is being repaired, or a snapshot
          // or truncation waits for the next tick. Anything else means the store is unusable:
          // crash the thread, the engine sees the worker error and stops the process.
          if (error instanceof StorageWriteError) {
            if (!this.#stopping) this.#every(intervalMs, work);
            return;
          }
          setImmediate(() => {
            throw error;
          });
        },
      );
    };
    const timer = setTimeout(run, intervalMs);
    this.#timers.add(timer);
  }
}

/**
 * Events after which a partition's next snapshot is due: `everyEvents`, or as many as the
 * partition holds (items and reservations) if that is more. A snapshot costs in proportion to
 * what it holds — a hot item's partition may hold most of a worker's holds — so taken no more
 * often than that, its cost per event stays bounded however large a partition grows; replay
 * after a crash stays within that many events (the classic rule of a log rewritten once it has
 * grown as large as its base).
 */
function snapshotEventsDue(actor: PartitionActor, everyEvents: number): number {
  return Math.max(everyEvents, actor.items.size + actor.reservationCount);
}
