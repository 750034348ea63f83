/** stockd's batching and log-commit counters, read from its Prometheus text at /metrics. */
export interface EngineCounters {
  readonly batchRequests: number;
  readonly batches: number;
  readonly commitSeconds: number;
  readonly commits: number;
}

/** What happened between two readings. */
export interface EngineWindow {
  readonly batchRequestsMean: number;
  readonly commitMillisecondsMean: number;
  /**
   * Seconds spent in log commits (append → durable, all workers) per second of the window: near
   * a worker's share of the time, when one commits at a time, during which its requests wait.
   */
  readonly commitSecondsPerSecond: number;
}

export async function readEngineCounters(url: string): Promise<EngineCounters> {
  const response = await fetch(`${url}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  return {
    batchRequests: sampleSum(text, 'stockd_batch_requests_total'),
    batches: sampleSum(text, 'stockd_batches_total'),
    commitSeconds: sampleSum(text, 'stockd_log_commit_seconds_sum'),
    commits: sampleSum(text, 'stockd_log_commit_seconds_count'),
  };
}

/** `seconds`: the window's length. */
export function engineWindow(
  before: EngineCounters,
  after: EngineCounters,
  seconds: number,
): EngineWindow {
  const ratio = (numerator: number, denominator: number) =>
    denominator > 0 ? numerator / denominator : 0;
  return {
    batchRequestsMean: ratio(
      after.batchRequests - before.batchRequests,
      after.batches - before.batches,
    ),
    commitMillisecondsMean:
      1000 * ratio(after.commitSeconds - before.commitSeconds, after.commits - before.commits),
    commitSecondsPerSecond: ratio(after.commitSeconds - before.commitSeconds, seconds),
  };
}

/** The sum of a metric's samples over all their label sets (per worker, per outcome, …). */
function sampleSum(text: string, name: string): number {
  const sample = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  let sum = 0;
  for (const match of text.matchAll(sample)) sum += Number(match[1]);
  return sum;
}
