/**
 * Wait before retry number `attempt` (1 = after the first failure): exponential, capped, with
 * "equal jitter" — half fixed, half random — so that many instances that lost the same broker
 * do not come back in lockstep, yet none retries at once. `random` is in [0, 1).
 */
export function backoffMs(
  attempt: number,
  limits: { readonly retryInitialMs: number; readonly retryMaxMs: number },
  random: number,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceilingMs = Math.min(limits.retryMaxMs, limits.retryInitialMs * 2 ** exponent);
  return Math.round(ceilingMs / 2 + (ceilingMs / 2) * random);
}
