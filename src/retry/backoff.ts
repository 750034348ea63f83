/** Waits between attempts: the first one, doubling per failure up to the longest. */
export interface BackoffPolicy {
  /** Wait before the first retry (milliseconds). */
  readonly initialMs: number;
  /** Longest wait between two attempts (milliseconds). */
  readonly maxMs: number;
}

/**
 * Wait before retry number `attempt` (1 = after the first failure): exponential, capped, with
 * "equal jitter" — half fixed, half random — so that many instances that lost the same server
 * do not come back in lockstep, yet none retries at once. `random` is in [0, 1), drawn by the
 * caller: the wait is a pure function of its inputs.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceilingMs = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(ceilingMs / 2 + (ceilingMs / 2) * random);
}
