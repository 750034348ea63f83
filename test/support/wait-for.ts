import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this long (real time: other systems catch up at their own pace). */
  readonly timeoutMs: number;
  /** Pause between checks. */
  readonly intervalMs?: number;
  /** What is awaited, for the failure message (a function to describe the state at the time). */
  readonly what?: string | (() => string);
}

/**
 * Waits until `condition` holds, for Kafka or PostgreSQL catching up with what a test did. Not
 * for the engine's own time: tests move that with a manual clock (worker-protocol/clock.ts).
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 50, what = 'the condition' }: WaitOptions,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) {
      const described = typeof what === 'string' ? what : what();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
    }
    await sleep(intervalMs);
  }
}
