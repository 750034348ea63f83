import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffPolicy, backoffMs } from '../retry/backoff.ts';
import { isRetriable } from './retry-policy.ts';

export interface RetryHooks {
  /** False: give up (stopping, or the work was taken away); the retry resolves to undefined. */
  readonly shouldContinue: () => boolean;
  /** Waits before the next attempt (and may keep a session alive meanwhile). */
  readonly wait: (ms: number) => Promise<void>;
  readonly onRetry: (error: unknown, attempt: number, waitMs: number) => void;
}

export type RetryOutcome<T> = { readonly done: true; readonly value: T } | { readonly done: false };

/**
 * Runs `work` until it succeeds, retrying retriable failures with capped, jittered backoff for
 * as long as `shouldContinue` allows. Anything else is thrown at once: retrying a bug only
 * hides it.
 */
export async function retryWhileRetriable<T>(
  work: () => Promise<T>,
  policy: BackoffPolicy,
  hooks: RetryHooks,
  random: () => number = Math.random,
): Promise<RetryOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    if (!hooks.shouldContinue()) return { done: false };
    try {
      return { done: true, value: await work() };
    } catch (error) {
      if (!isRetriable(error)) throw error;
      const waitMs = backoffMs(attempt, policy, random());
      hooks.onRetry(error, attempt, waitMs);
      await hooks.wait(waitMs);
    }
  }
}

/** A wait cut into slices of at most `sliceMs`, calling `between` after each, ending early when told. */
export async function waitInSlices(
  totalMs: number,
  sliceMs: number,
  between: () => Promise<void> | void,
  shouldContinue: () => boolean,
): Promise<void> {
  for (let leftMs = totalMs; leftMs > 0 && shouldContinue(); leftMs -= sliceMs) {
    await sleep(Math.min(sliceMs, leftMs));
    await between();
  }
}
