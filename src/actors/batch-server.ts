import type { MessagePort } from 'node:worker_threads';
import { decodeRequests, encodeAnswer } from '../worker-protocol/batch-codec.ts';
import type { WorkerRuntime } from './worker-runtime.ts';

/**
 * The worker's end of the batch channel (engine/batch-port.ts): decides each batch as it
 * arrives and answers it once its events are durable. Batches are decided in arrival order
 * (runBatch's decide loop is synchronous), while their commits overlap.
 */
export function serveBatches(port: MessagePort, runtime: WorkerRuntime): void {
  port.on('message', (bytes: Uint8Array) => {
    const { batchId, requests, partitions } = decodeRequests(bytes);
    runtime.runBatch(requests, partitions).then(
      (results) => reply(port, encodeAnswer({ batchId, results })),
      // The engine stops the process on any failed batch: memory may be ahead of disk.
      (error: unknown) => reply(port, encodeAnswer({ batchId, failure: describe(error) })),
    );
  });
}

function reply(port: MessagePort, bytes: Uint8Array): void {
  port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
