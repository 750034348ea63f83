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
  | { readonly kind: 'close'; readonly checkpoint: boolean };

export interface WorkerReplies {
  batch: Uint8Array;
  stats: WorkerStats;
  checkpoint: number;
  close: WorkerStats;
}
