import type { MessagePort } from 'node:worker_threads';
import type { WorkerStats } from './worker-stats.ts';

/**
 * Tasks the main thread sends a worker through its piscina pool. Batches do not travel as
 * tasks: a piscina task costs tens of microseconds of both threads' time, so batches use one
 * MessagePort per worker, handed over once by the 'attach' task, and travel encoded
 * (batch-codec.ts) in transferred buffers:
 *
 *   main ──attach(port)──► worker                       (piscina task, once)
 *   main ══ RequestBatch bytes ══► worker ══ BatchAnswer bytes ══► main   (the port, per batch)
 */
export type WorkerTask =
  | { readonly kind: 'attach'; readonly port: MessagePort }
  /** `collectGarbage` (only honoured when the process runs with --expose-gc) gives a clean heap figure. */
  | { readonly kind: 'stats'; readonly collectGarbage?: boolean }
  | { readonly kind: 'checkpoint' }
  /** Expiry, forgetting and due snapshots now, instead of waiting for their timers. */
  | { readonly kind: 'housekeeping' }
  | { readonly kind: 'close'; readonly checkpoint: boolean };

export interface WorkerReplies {
  attach: true;
  stats: WorkerStats;
  checkpoint: number;
  housekeeping: HousekeepingCounts;
  close: WorkerStats;
}

/** What one housekeeping run did. */
export interface HousekeepingCounts {
  readonly expired: number;
  readonly forgotten: number;
  readonly snapshotsWritten: number;
}
