import type { EngineRequest } from '../engine/requests.ts';
import type { EngineResult } from '../engine/results.ts';
import type { WorkerStats } from './worker-stats.ts';

/** Tasks the main thread sends a worker through its piscina pool. */
export type WorkerTask =
  | { readonly kind: 'batch'; readonly requests: EngineRequest[]; readonly partitions: number[] }
  | { readonly kind: 'stats' }
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'close'; readonly checkpoint: boolean };

export interface WorkerReplies {
  batch: EngineResult[];
  stats: WorkerStats;
  checkpoint: number;
  close: WorkerStats;
}
