import type { MessagePort } from 'node:worker_threads';
import { workerOfPartition } from '../partitioner/ownership.ts';
import type { EngineRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import { BatchPort } from './batch-port.ts';
import { ResultGroup } from './result-group.ts';
import { partitionOfRequest } from './route.ts';
import { validateRequest } from './validate-request.ts';
import { WorkerQueue, type WorkerQueuePolicy } from './worker-queue.ts';

export interface EngineClientSettings extends WorkerQueuePolicy {
  /** The store's partition count: a request's partition names its worker. */
  readonly partitionCount: number;
}

export interface EngineClientHooks {
  /** A refusal to answer instead of queueing (the engine is stopping, the disk is full), if any. */
  readonly refusal?: (request: EngineRequest) => EngineResult | undefined;
  /** Every answered batch: its commit may have taken the space the storage guard watches. */
  readonly onAnswered: (results: readonly EngineResult[]) => void;
  /** A worker could not decide a batch: memory may be ahead of disk, the process must stop. */
  readonly onFailure: (error: unknown) => void;
}

const overloaded: EngineResult = Object.freeze({ ok: false, code: 'OVERLOADED' });
const reservationNotFound: EngineResult = Object.freeze({
  ok: false,
  code: 'RESERVATION_NOT_FOUND',
});

/**
 * The requesting side of the engine, on whichever thread asks: validates a request, finds the
 * worker that owns its partition and queues it into that worker's batches (worker-queue.ts),
 * sent over one batch channel per worker (batch-port.ts). The main thread has one (engine.ts);
 * another thread may have its own over channels of its own (engine-link.ts), and then its
 * requests reach the workers without passing through the main thread. Each channel keeps its
 * order, so requests of one client to one partition are decided in the order submitted.
 */
export class EngineClient {
  readonly #ports: BatchPort[];
  readonly #queues: WorkerQueue[];
  readonly #partitionCount: number;
  readonly #refusal: EngineClientHooks['refusal'];

  /** `ports[w]`: this client's end of its batch channel to worker w. */
  constructor(
    ports: readonly MessagePort[],
    settings: EngineClientSettings,
    hooks: EngineClientHooks,
  ) {
    this.#partitionCount = settings.partitionCount;
    this.#refusal = hooks.refusal;
    this.#ports = ports.map((port) => new BatchPort(port));
    this.#queues = this.#ports.map(
      (port) =>
        new WorkerQueue(
          settings,
          (requests, partitions) =>
            port.send(requests, partitions).then((results) => {
              hooks.onAnswered(results);
              return results;
            }),
          hooks.onFailure,
        ),
    );
  }

  submit(request: EngineRequest): Promise<EngineResult> {
    const partition = this.#partitionOrRefusal(request);
    if (typeof partition !== 'number') return Promise.resolve(partition);
    return this.#queueOf(partition).enqueue(request, partition) ?? Promise.resolve(overloaded);
  }

  /**
   * Many requests, one result each, in order. With `whenFull: 'wait'` (batch producers) a full
   * queue delays the call; with 'reject' (interactive callers) it answers OVERLOADED.
   */
  async submitMany(
    requests: readonly EngineRequest[],
    { whenFull }: { whenFull: 'wait' | 'reject' } = { whenFull: 'reject' },
  ): Promise<EngineResult[]> {
    const group = new ResultGroup(requests.length);
    for (let slot = 0; slot < requests.length; slot++) {
      const request = requests[slot]!;
      const partition = this.#partitionOrRefusal(request);
      if (typeof partition !== 'number') {
        group.put(slot, partition);
        continue;
      }
      const queue = this.#queueOf(partition);
      if (whenFull === 'wait' && !queue.hasSpace) await queue.whenSpace();
      if (!queue.enqueueInto(request, partition, group, slot)) group.put(slot, overloaded);
    }
    return group.settled;
  }

  /** Requests waiting per worker, not yet sent. */
  get queueDepths(): number[] {
    return this.#queues.map((queue) => queue.depth);
  }

  /** Requests refused per worker because its queue was full (answered OVERLOADED). */
  get overloadedRequests(): number[] {
    return this.#queues.map((queue) => queue.refused);
  }

  /** Resolves when nothing is queued or in flight. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.#queues.map((queue) => queue.whenIdle()));
  }

  close(): void {
    for (const port of this.#ports) port.close();
  }

  /** The partition a request goes to, or the answer it gets without reaching a worker. */
  #partitionOrRefusal(request: EngineRequest): number | EngineResult {
    const refusal = this.#refusal?.(request);
    if (refusal !== undefined) return refusal;
    const issues = validateRequest(request);
    if (issues !== undefined) return { ok: false, code: 'VALIDATION', issues };
    return partitionOfRequest(request, this.#partitionCount) ?? reservationNotFound;
  }

  #queueOf(partition: number): WorkerQueue {
    return this.#queues[workerOfPartition(partition, this.#queues.length)]!;
  }
}
