/**
 * The engine's one notion of time, read by the main thread and by every worker thread.
 *
 * The system clock needs no sharing: each thread reads Date.now() itself, made monotonic. A
 * manual clock (tests, simulation) moves only when told to, and a worker thread cannot be handed
 * a function, so it keeps its time in shared memory that the workers read:
 *
 *   main thread: clock.advance(ms) ──Atomics.store──► SharedArrayBuffer [ nowMs: int64 ]
 *   worker k:    nowMs()           ◄──Atomics.load───┘   (passed once, in workerData)
 *
 * Sequentially consistent atomics plus message ordering mean a request posted after
 * `advance()` returns is decided at the advanced time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch; never goes backwards. */
  nowMs(): number;
  /**
   * A manual clock's memory, for worker threads to read; undefined for the system clock. On a
   * manual clock nothing happens by timer: housekeeping runs when the engine is asked to.
   */
  readonly shared: SharedArrayBuffer | undefined;
}

export interface ManualClock extends Clock {
  readonly shared: SharedArrayBuffer;
  /** Moves to `atMs`; refuses to go back (event times never do). */
  set(atMs: number): void;
  advance(durationMs: number): void;
}

/** Date.now(), never going backwards within this thread even when the wall clock does. */
export function systemClock(): Clock {
  let lastMs = 0;
  return {
    nowMs() {
      lastMs = Math.max(lastMs, Date.now());
      return lastMs;
    },
    shared: undefined,
  };
}

export function manualClock(startMs: number): ManualClock {
  const shared = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  const cell = new BigInt64Array(shared);
  const read = () => Number(Atomics.load(cell, 0));
  const set = (atMs: number) => {
    if (!Number.isSafeInteger(atMs) || atMs < read()) {
      throw new RangeError(`a clock moves forward to whole milliseconds: ${atMs} < ${read()}`);
    }
    Atomics.store(cell, 0, BigInt(atMs));
  };
  Atomics.store(cell, 0, BigInt(startMs));
  return {
    nowMs: read,
    shared,
    set,
    advance: (durationMs) => set(read() + durationMs),
  };
}

/** A worker thread's view of the engine's clock, from what the main thread passed it. */
export function workerClock(shared: SharedArrayBuffer | undefined): Clock {
  if (shared === undefined) return systemClock();
  const cell = new BigInt64Array(shared);
  return { nowMs: () => Number(Atomics.load(cell, 0)), shared };
}
