import type { WorkerStats } from './worker-stats.ts';

/**
 * Tasks the main thread sends a worker through its piscina pool. A batch travels encoded
 * (engine/batch-codec.ts) in a transferred buffer, and so do its results.
 */
export type WorkerTask =
  | { readonly kind: 'batch'; readonly bytes: Uint8Array }
  /** `collectGarbage` (only honoured when the process runs with --expose-gc) gives a clean heap figure. */
  | { readonly kind: 'stats'; readonly collectGarbage?: boolean }
  | { readonly kind: 'checkpoint' }
  /** Expiry, forgetting and due snapshots now, instead of waiting for their timers. */
  | { readonly kind: 'housekeeping' }
  | { readonly kind: 'close'; readonly checkpoint: boolean };

export interface WorkerReplies {
  batch: Uint8Array;
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
