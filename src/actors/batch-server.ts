import type { MessagePort } from 'node:worker_threads';
import { type BatchAnswer, decodeRequests, encodeAnswers } from '../worker-protocol/batch-codec.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { WorkerRuntime } from './worker-runtime.ts';

/**
 * The worker's end of the batch channel (engine/batch-port.ts), with group commit: every batch
 * is decided as soon as it arrives, and the commit waits until the channel has delivered all
 * the batches already queued (setImmediate runs after the port's pending messages), so one
 * commit — one fsync — and one answer message cover them all.
 *
 *   message: decide A ─┐
 *   message: decide B ─┼─► (immediate) commit A+B ─► answer [A, B]
 *   message: decide C ─┘
 *
 * Each wake-up of another thread costs tens to hundreds of microseconds of CPU on a busy
 * machine with few cores: fewer commits and fewer answer messages per request is most of what
 * makes a worker fast. A large group commits on LMDB's write thread (log-writer.ts); the batches
 * arriving meanwhile are decided and wait for the next commit, which follows it in order.
 */
export function serveBatches(port: MessagePort, runtime: WorkerRuntime): void {
  let decided: { readonly batchId: number; readonly results: EngineResult[] }[] = [];
  let commitScheduled = false;

  const commitAndAnswer = () => {
    commitScheduled = false;
    const batches = decided;
    decided = [];
    const answer = (answers: readonly BatchAnswer[]) => {
      const bytes = encodeAnswers(answers);
      port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    };
    // The engine stops the process on any failed batch: memory may be ahead of disk.
    const fail = (error: unknown) => {
      const failure = describe(error);
      answer(batches.map(({ batchId }) => ({ batchId, failure })));
    };
    let committed: Promise<void> | undefined;
    try {
      committed = runtime.commit();
    } catch (error) {
      fail(error);
      return;
    }
    if (committed === undefined) answer(batches);
    else committed.then(() => answer(batches), fail);
  };

  port.on('message', (bytes: Uint8Array) => {
    const { batchId, requests, partitions } = decodeRequests(bytes);
    try {
      decided.push({ batchId, results: runtime.decideBatch(requests, partitions) });
    } catch (error) {
      const answer = encodeAnswers([{ batchId, failure: describe(error) }]);
      port.postMessage(answer, [answer.buffer as ArrayBuffer]);
      return;
    }
    if (!commitScheduled) {
      commitScheduled = true;
      setImmediate(commitAndAnswer);
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
