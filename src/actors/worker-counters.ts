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
  /** commandType → its outcomes' counts; nested so that counting builds no strings. */
  readonly #commands = new Map<string, OutcomeCounts>();
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
    let counts = this.#commands.get(type);
    if (counts === undefined) {
      counts = { applied: 0, unchanged: 0, refused: new Map() };
      this.#commands.set(type, counts);
    }
    if (!result.ok) counts.refused.set(result.code, (counts.refused.get(result.code) ?? 0) + 1);
    else if (result.applied) counts.applied++;
    else counts.unchanged++;
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
        [...this.#commands].map(([type, counts]) => [type, outcomesOf(counts)]),
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

/** One command type's outcomes: applied and unchanged as plain fields, refusals by code. */
interface OutcomeCounts {
  applied: number;
  unchanged: number;
  readonly refused: Map<string, number>;
}

/** outcome → count, only for outcomes that happened. */
function outcomesOf(counts: OutcomeCounts): Record<string, number> {
  const outcomes: Record<string, number> = {};
  if (counts.applied > 0) outcomes.applied = counts.applied;
  if (counts.unchanged > 0) outcomes.unchanged = counts.unchanged;
  for (const [code, count] of counts.refused) outcomes[code] = count;
  return outcomes;
}
