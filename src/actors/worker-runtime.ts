import type { LogWriter } from '../checkpoint/log-writer.ts';
import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import { readPublishedSeq } from '../checkpoint/published-position.ts';
import type { Store } from '../checkpoint/store.ts';
import { truncatePartitionLog } from '../checkpoint/truncation.ts';
import { assert } from '../domain/assert.ts';
import type { Reservation } from '../domain/reservation.ts';
import { parseReservationId } from '../domain/reservation-id.ts';
import type { EngineRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { HousekeepingCounts } from '../worker-protocol/tasks.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import { commitSecondsBounds, type WorkerStats } from '../worker-protocol/worker-stats.ts';
import { execute } from './execute.ts';
import { ExpiryQueue } from './expiry-queue.ts';
import type { PartitionActor } from './partition-actor.ts';
import { writeSnapshot } from './partition-snapshots.ts';
import { RetentionQueue } from './retention-queue.ts';

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
}

/**
 * One worker thread's actors and their housekeeping. A batch runs as
 *   load → decide and apply every request (one synchronous loop) → append the events → fsync
 * and only then resolves with the results, so no reply ever gets ahead of the disk.
 * Expiry goes through the same path as client commands. Housekeeping (expiry, forgetting settled
 * reservations, snapshots and log truncation) runs on timers (`start`) or when asked
 * (`runHousekeeping`), the only way under a manual clock.
 */
export class WorkerRuntime {
  readonly #settings: WorkerSettings;
  readonly #store: Store;
  readonly #log: LogWriter;
  readonly #actors = new Map<number, PartitionActor>();
  readonly #snapshots: Map<number, SnapshotMark>;
  readonly #expiry = new ExpiryQueue();
  readonly #retention: RetentionQueue;
  readonly #clock: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #counters = {
    /** commandType → outcome → count; nested so that counting builds no strings. */
    commands: new Map<string, Map<string, number>>(),
    batches: 0,
    batchRequestsSum: 0,
    eventsWritten: 0,
    commitSecondsSum: 0,
    commits: 0,
    commitSecondsBuckets: new Array<number>(commitSecondsBounds.length + 1).fill(0),
    expired: 0,
    forgotten: 0,
    snapshotsWritten: 0,
    chunksTruncated: 0,
  };
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
    this.#snapshots = new Map(parts.snapshots);
    this.#retention = new RetentionQueue(parts.settings.settledReservationsMax);
    this.#recovery = parts.recovery;
    const settled: Reservation[] = [];
    for (const actor of parts.actors) {
      this.#actors.set(actor.partition, actor);
      for (const reservation of actor.reservations()) {
        if (reservation.status === 'HELD') this.#scheduleExpiry(actor.partition, reservation);
        else settled.push(reservation);
      }
    }
    settled.sort((a, b) => a.updatedAtMs - b.updatedAtMs);
    for (const reservation of settled) this.#scheduleForgetting(reservation);
  }

  /** Decides a batch and commits it: when it resolves, the batch's events are on disk. */
  async runBatch(
    requests: readonly EngineRequest[],
    partitions: readonly number[],
  ): Promise<EngineResult[]> {
    const results = this.decideBatch(requests, partitions);
    this.commit();
    return results;
  }

  /**
   * Decides and applies every request of a batch (one synchronous loop) and appends its events
   * to the log, uncommitted: the results must not be answered before `commit()`. Several
   * batches may be decided before one commit (group commit, batch-server.ts).
   */
  decideBatch(requests: readonly EngineRequest[], partitions: readonly number[]): EngineResult[] {
    assert(!this.#closed, 'no batches after close');
    const nowMs = this.#clock();
    const emitted = new Map<number, LoggedEvent[]>();
    const sink = (event: LoggedEvent, touched: Reservation | undefined) => {
      const events = emitted.get(event.partition);
      if (events === undefined) emitted.set(event.partition, [event]);
      else events.push(event);
      if (touched !== undefined) this.#track(event, touched);
    };
    const results = new Array<EngineResult>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const actor = this.#actors.get(partitions[i]!);
      assert(actor !== undefined, `partition ${partitions[i]} is owned by this worker`);
      const result = execute(actor, requests[i]!, nowMs, sink);
      this.#count(requests[i]!.type, result);
      results[i] = result;
    }
    for (const [partition, events] of emitted) {
      this.#log.append(partition, events);
      this.#counters.eventsWritten += events.length;
    }
    this.#counters.batches++;
    this.#counters.batchRequestsSum += requests.length;
    return results;
  }

  /** Commits (fsync included) everything decided so far; throws if the write failed. */
  commit(): void {
    const commitStartedAt = performance.now();
    if (!this.#log.durable()) return;
    const commitSeconds = (performance.now() - commitStartedAt) / 1000;
    this.#counters.commitSecondsSum += commitSeconds;
    this.#counters.commits++;
    const bucket = commitSecondsBounds.findIndex((bound) => commitSeconds <= bound);
    this.#counters.commitSecondsBuckets[bucket === -1 ? commitSecondsBounds.length : bucket]!++;
  }

  /**
   * Expires due holds through the logged path, in batches of at most `expiryBatchMax`, until
   * none is due or `batchesMax` batches ran; returns how many were expired.
   */
  async expireDue(batchesMax = 1): Promise<number> {
    let expired = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
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
    // Every timer tick, too: write-ahead records wait at most one tick to become chunks.
    await this.#log.compact();
    let written = 0;
    for (const actor of this.#actors.values()) {
      const mark = this.#snapshots.get(actor.partition) ?? { seq: 0, atMs: 0 };
      const lastSeq = actor.nextSeq - 1;
      if (lastSeq === mark.seq) continue;
      const due =
        force ||
        lastSeq - mark.seq >= this.#settings.snapshotEveryEvents ||
        nowMs - mark.atMs >= this.#settings.snapshotIntervalMs;
      if (!due) continue;
      // A snapshot holds only what is committed: batches decided while this checkpoint awaited
      // the disk are committed first (their replies follow from the batch server as usual).
      this.commit();
      await writeSnapshot(this.#store, actor.image(), nowMs);
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

  /** Stops housekeeping; with `checkpoint`, snapshots every changed partition for a fast start. */
  async close(checkpoint: boolean): Promise<WorkerStats> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled(this.#housekeeping);
    if (checkpoint) await this.checkpoint(true);
    this.commit();
    await this.#log.compact();
    await this.#store.root.flushed;
    this.#closed = true;
    return this.stats();
  }

  stats(): WorkerStats {
    let items = 0;
    let reservations = 0;
    const snapshotAtMs: Record<number, number> = {};
    const lastSeq: Record<number, number> = {};
    for (const actor of this.#actors.values()) {
      items += actor.items.size;
      reservations += actor.reservationCount;
      snapshotAtMs[actor.partition] = this.#snapshots.get(actor.partition)?.atMs ?? 0;
      lastSeq[actor.partition] = actor.nextSeq - 1;
    }
    const { commands, commitSecondsBuckets, ...counters } = this.#counters;
    return {
      workerIndex: this.#settings.workerIndex,
      commands: Object.fromEntries(
        [...commands].map(([type, byOutcome]) => [type, Object.fromEntries(byOutcome)]),
      ),
      ...counters,
      commitSecondsBuckets: [...commitSecondsBuckets],
      items,
      reservations,
      pendingDeadlines: this.#expiry.size,
      snapshotAtMs,
      lastSeq,
      heapUsedBytes: process.memoryUsage().heapUsed,
      recovery: this.#recovery,
    };
  }

  #track(event: LoggedEvent, reservation: Reservation): void {
    if (event.type === 'StockReserved') this.#scheduleExpiry(event.partition, reservation);
    else if (reservation.status !== 'HELD') this.#scheduleForgetting(reservation);
  }

  #scheduleExpiry(partition: number, reservation: Reservation): void {
    this.#expiry.push({
      dueAtMs: reservation.expiresAtMs,
      partition,
      reservationId: reservation.reservationId,
    });
  }

  #scheduleForgetting(reservation: Reservation): void {
    this.#retention.push({
      dueAtMs: reservation.updatedAtMs + this.#settings.reservationRetentionMs,
      partition: partitionOfReservation(reservation),
      reservationId: reservation.reservationId,
    });
  }

  #count(type: string, result: EngineResult): void {
    const outcome = result.ok ? (result.applied ? 'applied' : 'unchanged') : result.code;
    const byOutcome = this.#counters.commands.get(type) ?? new Map<string, number>();
    if (byOutcome.size === 0) this.#counters.commands.set(type, byOutcome);
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
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
          // Housekeeping failures mean the store is unusable: crash the thread, the engine
          // sees the worker error and stops the process.
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

function partitionOfReservation(reservation: Reservation): number {
  return parseReservationId(reservation.reservationId)!.partition;
}
