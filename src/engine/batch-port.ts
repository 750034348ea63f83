import type { MessagePort } from 'node:worker_threads';
import { BatchDecoder, BatchEncoder } from '../worker-protocol/batch-codec.ts';
import { restoreEchoedFields } from '../worker-protocol/lean-results.ts';
import type { EngineRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';

/** A worker's failure to decide a batch: memory may now be ahead of disk. */
export class WorkerBatchError extends Error {
  override name = 'WorkerBatchError';
}

interface Waiting {
  readonly waiter: PromiseWithResolvers<EngineResult[]>;
  /** What the answer's lean views leave out is taken from here (lean-results.ts). */
  readonly requests: readonly EngineRequest[];
}

/**
 * The requesting end of one worker's batch channel; the worker serves the other end
 * (actors/batch-server.ts). Each batch is encoded into a transferred buffer and tagged with an
 * id; the worker answers each id exactly once (results, or the failure that stopped it), several
 * batches per message when one commit covered them. Answers usually come in order, but nothing
 * here depends on it.
 */
export class BatchPort {
  readonly #port: MessagePort;
  readonly #waiting = new Map<number, Waiting>();
  readonly #requests = new BatchEncoder();
  readonly #answers = new BatchDecoder();
  #nextBatchId = 1;

  constructor(port: MessagePort) {
    this.#port = port;
    this.#port.on('message', (bytes: Uint8Array) => this.#answer(bytes));
  }

  send(requests: EngineRequest[], partitions: number[]): Promise<EngineResult[]> {
    const batchId = this.#nextBatchId++;
    const bytes = this.#requests.encodeRequests({ batchId, requests, partitions });
    const waiter = Promise.withResolvers<EngineResult[]>();
    this.#waiting.set(batchId, { waiter, requests });
    this.#port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    return waiter.promise;
  }

  /** Batches sent and not answered yet. */
  get pending(): number {
    return this.#waiting.size;
  }

  close(): void {
    this.#port.close();
  }

  #answer(bytes: Uint8Array): void {
    const requestsOf = (batchId: number) => this.#waiting.get(batchId)?.requests;
    for (const answer of this.#answers.decodeAnswers(bytes, requestsOf)) {
      const waiting = this.#waiting.get(answer.batchId);
      if (waiting === undefined) throw new Error(`an answer to unknown batch ${answer.batchId}`);
      this.#waiting.delete(answer.batchId);
      const { waiter, requests } = waiting;
      if ('failure' in answer) {
        waiter.reject(new WorkerBatchError(answer.failure));
      } else {
        restoreEchoedFields(requests, answer.results);
        waiter.resolve(answer.results as EngineResult[]);
      }
    }
  }
}
