import type { EngineRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import { ResultGroup } from './result-group.ts';

export interface WorkerQueueLimits {
  /** Most requests in one task sent to the worker. */
  readonly batchRequestsMax: number;
  /** Most batches a worker holds at once (deciding or waiting for fsync). */
  readonly inFlightBatchesMax: number;
  /** Most requests waiting here for a worker; beyond it the queue refuses (backpressure). */
  readonly queuedRequestsMax: number;
}

export interface WorkerQueuePolicy extends WorkerQueueLimits {
  /**
   * While a batch is in flight, the next one leaves only once it has this many requests: a
   * worker commits a smaller group synchronously in its own thread (log-writer.ts), so a second
   * small batch in flight only waits there — and, sent early, it is one more message, decision
   * round and commit than gathering it here until the answer comes. A large group commits on
   * LMDB's write thread, and the worker decides the next batch meanwhile: that one may go.
   */
  readonly overlapRequestsMin: number;
}

type SendBatch = (requests: EngineRequest[], partitions: number[]) => Promise<EngineResult[]>;
type Resolve = (result: EngineResult) => void;

interface Batch {
  readonly requests: EngineRequest[];
  readonly partitions: number[];
  /** Where each request's result goes: its own promise's resolve, or a group's slot. */
  readonly sinks: (Resolve | ResultGroup)[];
  readonly slots: number[];
}

/**
 * Collects one worker's requests into batches. A batch leaves at once when nothing is in flight,
 * so a quiet service answers at once and a busy one sends ever larger batches: the queue fills
 * exactly while the worker is busy (classic group commit, one commit in flight). A large batch
 * may leave beside others in flight, up to inFlightBatchesMax (see overlapRequestsMin).
 *
 *   enqueue ─► [batch][batch][batch…]  ──(none in flight, or large and in flight < max)──► worker
 *                 ▲ the last batch fills up to batchRequestsMax
 */
export class WorkerQueue {
  readonly #limits: WorkerQueuePolicy;
  readonly #send: SendBatch;
  readonly #onFailure: (error: unknown) => void;
  readonly #batches: Batch[] = [];
  readonly #spaceWaiters: (() => void)[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #queued = 0;
  #inFlight = 0;
  #refused = 0;
  #flushScheduled = false;

  constructor(limits: WorkerQueuePolicy, send: SendBatch, onFailure: (error: unknown) => void) {
    this.#limits = limits;
    this.#send = send;
    this.#onFailure = onFailure;
  }

  /** Requests waiting for the worker (not counting those in flight). */
  get depth(): number {
    return this.#queued;
  }

  /** Requests refused because the queue was full, since it was created (OVERLOADED answers). */
  get refused(): number {
    return this.#refused;
  }

  get hasSpace(): boolean {
    return this.#queued < this.#limits.queuedRequestsMax;
  }

  /** Queues a request, or returns undefined at once when the queue is full. */
  enqueue(request: EngineRequest, partition: number): Promise<EngineResult> | undefined {
    if (!this.hasSpace) {
      this.#refused++;
      return undefined;
    }
    const { promise, resolve } = Promise.withResolvers<EngineResult>();
    this.#add(request, partition, resolve, 0);
    return promise;
  }

  /**
   * Queues a request whose result goes into slot `slot` of `group`; false at once when the queue
   * is full (nothing is put then).
   */
  enqueueInto(
    request: EngineRequest,
    partition: number,
    group: ResultGroup,
    slot: number,
  ): boolean {
    if (!this.hasSpace) {
      this.#refused++;
      return false;
    }
    this.#add(request, partition, group, slot);
    return true;
  }

  #add(request: EngineRequest, partition: number, sink: Resolve | ResultGroup, slot: number) {
    let batch = this.#batches.at(-1);
    if (batch === undefined || batch.requests.length >= this.#limits.batchRequestsMax) {
      batch = { requests: [], partitions: [], sinks: [], slots: [] };
      this.#batches.push(batch);
    }
    batch.requests.push(request);
    batch.partitions.push(partition);
    batch.sinks.push(sink);
    batch.slots.push(slot);
    this.#queued++;
    this.#scheduleFlush();
  }

  /** Resolves when the queue has room again. */
  whenSpace(): Promise<void> {
    if (this.hasSpace) return Promise.resolve();
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  /** Resolves when nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.#queued === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Whether the first waiting batch may leave now. */
  #mayLeave(): boolean {
    if (this.#inFlight === 0) return true;
    if (this.#inFlight >= this.#limits.inFlightBatchesMax) return false;
    return this.#batches[0]!.requests.length >= this.#limits.overlapRequestsMin;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || !this.#mayLeave()) return;
    this.#flushScheduled = true;
    // After the current I/O phase: requests that arrive together leave together.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    while (this.#batches.length > 0 && this.#mayLeave()) {
      const batch = this.#batches.shift()!;
      this.#queued -= batch.requests.length;
      this.#inFlight++;
      this.#send(batch.requests, batch.partitions).then(
        (results) => this.#settle(batch, results),
        (error: unknown) => this.#onFailure(error),
      );
    }
    this.#wake(this.#spaceWaiters, this.hasSpace);
  }

  #settle(batch: Batch, results: EngineResult[]): void {
    this.#inFlight--;
    // The waiting batches leave before these results are answered: the worker decides and
    // commits them while this thread writes the replies, instead of after.
    if (this.#batches.length > 0) this.#flush();
    for (let i = 0; i < results.length; i++) {
      const sink = batch.sinks[i]!;
      if (sink instanceof ResultGroup) sink.put(batch.slots[i]!, results[i]!);
      else sink(results[i]!);
    }
    this.#wake(this.#idleWaiters, this.#queued === 0 && this.#inFlight === 0);
  }

  #wake(waiters: (() => void)[], condition: boolean): void {
    if (!condition || waiters.length === 0) return;
    for (const wake of waiters.splice(0)) wake();
  }
}
