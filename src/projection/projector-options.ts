import type { BackoffPolicy } from '../retry/backoff.ts';

export interface ProjectorOptions {
  /** Most events written by one transaction (events). */
  readonly batchEventsMax: number;
  /** Kafka partitions projected at once, each in its own transaction and connection. */
  readonly partitionsConcurrently: number;
  /** Most bytes one fetch takes from a partition (bytes); bounds memory per batch. */
  readonly fetchBytesPerPartitionMax: number;
  /** Retry waits after PostgreSQL failures. */
  readonly backoff: BackoffPolicy;
  /** Kafka group session (milliseconds); retries heartbeat well within it. */
  readonly sessionTimeoutMs: number;
  /** Longest wait between two heartbeats while retrying (milliseconds). */
  readonly heartbeatWhileWaitingMs: number;
  /** Longest a statement may run before PostgreSQL cancels it (milliseconds). */
  readonly statementTimeoutMs: number;
  /** Longest wait for a new PostgreSQL connection (milliseconds). */
  readonly connectTimeoutMs: number;
}

export const projectorDefaults: ProjectorOptions = Object.freeze({
  batchEventsMax: 2_000,
  partitionsConcurrently: 2,
  fetchBytesPerPartitionMax: 1_048_576,
  backoff: { initialMs: 100, maxMs: 10_000 },
  sessionTimeoutMs: 30_000,
  heartbeatWhileWaitingMs: 1_000,
  statementTimeoutMs: 60_000,
  connectTimeoutMs: 5_000,
});

/** Defaults with `overrides`, checked against each other; throws RangeError on a bad set. */
export function projectorOptions(overrides: Partial<ProjectorOptions> = {}): ProjectorOptions {
  const options = { ...projectorDefaults, ...overrides };
  const problems: string[] = [];
  if (!inRange(options.batchEventsMax, 1, 100_000)) problems.push('batchEventsMax: 1…100000');
  if (!inRange(options.partitionsConcurrently, 1, 64)) {
    problems.push('partitionsConcurrently: 1…64');
  }
  if (!inRange(options.fetchBytesPerPartitionMax, 1_024, 64 * 1_048_576)) {
    problems.push('fetchBytesPerPartitionMax: 1 KiB…64 MiB');
  }
  if (!(options.backoff.initialMs >= 1 && options.backoff.maxMs >= options.backoff.initialMs)) {
    problems.push('backoff: 1 ≤ initialMs ≤ maxMs');
  }
  if (!(options.heartbeatWhileWaitingMs * 3 <= options.sessionTimeoutMs)) {
    problems.push('heartbeatWhileWaitingMs must be at most a third of sessionTimeoutMs');
  }
  if (!(options.statementTimeoutMs >= 1_000 && options.connectTimeoutMs >= 100)) {
    problems.push('statementTimeoutMs ≥ 1000 and connectTimeoutMs ≥ 100');
  }
  if (problems.length > 0) throw new RangeError(`projector options: ${problems.join('; ')}`);
  return Object.freeze(options);
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
