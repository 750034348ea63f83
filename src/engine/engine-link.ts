import type { MessagePort } from 'node:worker_threads';
import { describeFailure } from '../worker-protocol/batch-codec.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import { EngineClient, type EngineClientSettings } from './engine-client.ts';
import { recheckGapMs } from './storage-guard.ts';

/**
 * A way into the engine for another thread (the command ingress thread): batch channels of its
 * own to every worker, so its requests are decided without the main thread on the way, and a
 * notice channel back to the main thread, which keeps what only it can do — stopping the process
 * on a worker failure, and reading the disk's free space after commits.
 *
 *   main thread: engine.link() ─► EngineLink ─(workerData + transferList)─► other thread
 *   other thread: connectEngine(link) ─► EngineClient ── batches ──► workers ── answers ─┐
 *                                             ▲──────────────────────────────────────────┘
 *                 failures, commits ─► control ─► main thread: onFatal, storage guard
 *
 * Cloneable as it is: every MessagePort in it must be in the transfer list (`linkTransferList`).
 */
export interface EngineLink {
  /** `ports[w]`: the linked thread's end of its batch channel to worker w. */
  readonly ports: readonly MessagePort[];
  /** The linked thread's end of its notice channel to the main thread. */
  readonly control: MessagePort;
  readonly settings: EngineClientSettings;
}

/** What a linked thread tells the main thread about its batches. */
export type LinkNotice =
  /** A worker could not decide one of its batches: memory may be ahead of disk. */
  | { readonly kind: 'failed'; readonly message: string }
  /** Batches were committed: the space they took may have crossed the floor. */
  | { readonly kind: 'committed' }
  /** A commit failed for want of space or an I/O error (its batches were refused). */
  | { readonly kind: 'commitFailed'; readonly reason: string };

export function linkTransferList(link: EngineLink): MessagePort[] {
  return [...link.ports, link.control];
}

/** The linked thread's side: an engine client over the link's channels. */
export function connectEngine(link: EngineLink): EngineClient {
  const notify = (notice: LinkNotice) => link.control.postMessage(notice);
  let lastCommittedNoticeAt = Number.NEGATIVE_INFINITY;
  return new EngineClient(link.ports, link.settings, {
    onAnswered: (results) => {
      const reason = commitFailureOf(results);
      if (reason !== undefined) return notify({ kind: 'commitFailed', reason });
      // Each notice wakes the main thread, whose storage guard reads no more often than this.
      const now = performance.now();
      if (now - lastCommittedNoticeAt < recheckGapMs) return;
      lastCommittedNoticeAt = now;
      notify({ kind: 'committed' });
    },
    onFailure: (error) => notify({ kind: 'failed', message: describeFailure(error) }),
  });
}

/**
 * Why a batch's commit failed, if it did: a worker refuses such a batch as a whole, each result
 * STORAGE_FULL with the failure's message (actors/batch-server.ts).
 */
export function commitFailureOf(results: readonly EngineResult[]): string | undefined {
  const first = results[0];
  if (first === undefined || first.ok || first.code !== 'STORAGE_FULL') return undefined;
  return first.message;
}
