import type { EngineResult } from '../worker-protocol/results.ts';
import { commitSecondsBounds, type WorkerStats } from '../worker-protocol/worker-stats.ts';

/** The counters of WorkerStats a worker keeps as it runs. */
export type CounterFields = Pick<
  WorkerStats,
  | 'commands'
  | 'batches'
  | 'batchRequestsSum'
  | 'eventsWritten'
  | 'commitSecondsSum'
  | 'commits'
  | 'commitSecondsBuckets'
  | 'expired'
  | 'forgotten'
  | 'snapshotsWritten'
  | 'chunksTruncated'
  | 'failedCommits'
  | 'partitionReloads'
>;

/**
 * What one worker counts: commands by type and outcome, batches, commits and their durations,
 * housekeeping, failed commits and reloads. Plain fields, bumped in the hot path without
 * building strings; `fields()` copies them out for the stats task (the engine's metrics).
 */
export class WorkerCounters {
  /** commandType → outcome → count; nested so that counting builds no strings. */
  readonly #commands = new Map<string, Map<string, number>>();
  readonly #commitSecondsBuckets = new Array<number>(commitSecondsBounds.length + 1).fill(0);
  batches = 0;
  batchRequestsSum = 0;
  eventsWritten = 0;
  commitSecondsSum = 0;
  commits = 0;
  expired = 0;
  forgotten = 0;
  snapshotsWritten = 0;
  chunksTruncated = 0;
  failedCommits = 0;
  partitionReloads = 0;

  /** One request's outcome: applied, unchanged, or its rejection code. */
  countCommand(type: string, result: EngineResult): void {
    const outcome = result.ok ? (result.applied ? 'applied' : 'unchanged') : result.code;
    const byOutcome = this.#commands.get(type) ?? new Map<string, number>();
    if (byOutcome.size === 0) this.#commands.set(type, byOutcome);
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  /** A commit that began at `startedAt` (performance.now()) and is durable now. */
  countCommit(startedAt: number): void {
    const commitSeconds = (performance.now() - startedAt) / 1000;
    this.commitSecondsSum += commitSeconds;
    this.commits++;
    const bucket = commitSecondsBounds.findIndex((bound) => commitSeconds <= bound);
    this.#commitSecondsBuckets[bucket === -1 ? commitSecondsBounds.length : bucket]!++;
  }

  fields(): CounterFields {
    return {
      commands: Object.fromEntries(
        [...this.#commands].map(([type, byOutcome]) => [type, Object.fromEntries(byOutcome)]),
      ),
      batches: this.batches,
      batchRequestsSum: this.batchRequestsSum,
      eventsWritten: this.eventsWritten,
      commitSecondsSum: this.commitSecondsSum,
      commits: this.commits,
      commitSecondsBuckets: [...this.#commitSecondsBuckets],
      expired: this.expired,
      forgotten: this.forgotten,
      snapshotsWritten: this.snapshotsWritten,
      chunksTruncated: this.chunksTruncated,
      failedCommits: this.failedCommits,
      partitionReloads: this.partitionReloads,
    };
  }
}
