/** A timer that does not keep the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Sleeps that `interrupt()` ends, for good: stop() must not wait out a backoff, including one
 * that starts after stop() was called.
 */
export function interruptibleSleep() {
  let interrupted = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    sleep(ms: number): Promise<void> {
      if (interrupted) return Promise.resolve();
      return new Promise((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms).unref();
      });
    },
    interrupt(): void {
      interrupted = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
