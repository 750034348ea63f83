import type { MessagePort } from 'node:worker_threads';
import { StorageWriteError } from '../checkpoint/storage-write-error.ts';
import {
  type BatchAnswer,
  BatchDecoder,
  BatchEncoder,
  describeFailure,
} from '../worker-protocol/batch-codec.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { WorkerRuntime } from './worker-runtime.ts';

interface DecidedBatch {
  readonly batchId: number;
  readonly results: EngineResult[];
  /** Its number in the runtime's count of decided batches (WorkerRuntime.isDurable). */
  readonly number: number;
}

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
 *
 * A commit the store could not take (no space, an I/O error) is no reason to stop: every
 * request of its batches — and of every batch decided after them — is answered STORAGE_FULL
 * (nothing of them is on disk), and batches arriving while the runtime reloads the partitions
 * concerned wait here, in order, to be decided on the reloaded state:
 *
 *   commit A+B fails ─► answer [A, B] STORAGE_FULL ─► (reloading: C, D held) ─► decide C, D
 */
export function serveBatches(port: MessagePort, runtime: WorkerRuntime): void {
  let decided: DecidedBatch[] = [];
  let commitScheduled = false;
  /** Batches that arrived while partitions were being reloaded, in arrival order. */
  let held: Uint8Array[] = [];
  // This channel's two streams (batch-codec.ts): batches in, answers out.
  const incoming = new BatchDecoder();
  const outgoing = new BatchEncoder();

  const answer = (answers: readonly BatchAnswer[]) => {
    const bytes = outgoing.encodeAnswers(answers);
    port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  };
  /** Each batch as decided if it is on disk, else refused (a failed commit lost it). */
  const answerDurable = (batches: readonly DecidedBatch[], error: StorageWriteError | undefined) =>
    answer(
      batches.map((batch) =>
        runtime.isDurable(batch.number)
          ? { batchId: batch.batchId, results: batch.results }
          : refused(batch, error ?? runtime.lastFailure!),
      ),
    );

  const commitAndAnswer = () => {
    commitScheduled = false;
    const batches = decided;
    decided = [];
    const fail = (error: unknown) => {
      if (error instanceof StorageWriteError) {
        // Those already on disk (a checkpoint committed them first) are answered as decided.
        answerDurable(batches, error);
        return;
      }
      // Anything else is a bug: the engine stops the process (memory may be ahead of disk).
      const failure = describeFailure(error);
      answer(batches.map(({ batchId }) => ({ batchId, failure })));
    };
    let committed: Promise<void> | undefined;
    try {
      committed = runtime.commit();
    } catch (error) {
      fail(error);
      return;
    }
    // A commit that succeeds covers every batch decided before it — except those a failed commit
    // of a checkpoint lost meanwhile, if the reload is already done.
    if (committed === undefined) answerDurable(batches, undefined);
    else committed.then(() => answerDurable(batches, undefined), fail);
  };

  const decide = (bytes: Uint8Array) => {
    const recovering = runtime.recovering;
    if (recovering !== undefined) {
      held.push(bytes);
      if (held.length === 1) void recovering.then(release);
      return;
    }
    const { batchId, requests, partitions } = incoming.decodeRequests(bytes);
    try {
      // Lean views: the requesting end restores them (engine/batch-port.ts).
      const results = runtime.decideBatch(requests, partitions, 'lean');
      decided.push({ batchId, results, number: runtime.decidedBatches });
    } catch (error) {
      answer([{ batchId, failure: describeFailure(error) }]);
      return;
    }
    if (!commitScheduled) {
      commitScheduled = true;
      setImmediate(commitAndAnswer);
    }
  };

  const release = () => {
    const waiting = held;
    held = [];
    for (const bytes of waiting) decide(bytes);
  };

  port.on('message', decide);
}

/** A batch none of whose requests reached the disk, refused as a whole. */
function refused({ batchId, results }: DecidedBatch, error: StorageWriteError): BatchAnswer {
  const refusal: EngineResult = {
    ok: false,
    code: 'STORAGE_FULL',
    message: `a write to the data directory failed: ${error.message}`,
  };
  return { batchId, results: results.map(() => refusal) };
}
