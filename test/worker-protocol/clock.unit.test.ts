import { describe, expect, it } from 'vitest';
import { manualClock, systemClock, workerClock } from '../../src/worker-protocol/clock.ts';

describe('the engine clock', () => {
  it('a manual clock moves only when told, and a worker’s view of it reads the same time', () => {
    const clock = manualClock(1_000);
    // Cloned as workerData is: a SharedArrayBuffer's clone is the same memory.
    const seenByWorker = workerClock(structuredClone(clock.shared));
    expect([clock.nowMs(), seenByWorker.nowMs()]).toEqual([1_000, 1_000]);
    clock.advance(250);
    expect([clock.nowMs(), seenByWorker.nowMs()]).toEqual([1_250, 1_250]);
    clock.set(5_000);
    expect(seenByWorker.nowMs()).toBe(5_000);
  });

  it.each([
    ['back in time', 4_999],
    ['to a fraction of a millisecond', 5_000.5],
  ])('a manual clock refuses to move %s', (_name, atMs) => {
    const clock = manualClock(5_000);
    expect(() => clock.set(atMs)).toThrow(RangeError);
    expect(clock.nowMs()).toBe(5_000);
  });

  it('without a manual clock a worker reads the system time, which never goes backwards', () => {
    const clock = workerClock(undefined);
    expect(clock.shared).toBeUndefined();
    const before = Date.now();
    const first = clock.nowMs();
    expect(first).toBeGreaterThanOrEqual(before);
    expect(clock.nowMs()).toBeGreaterThanOrEqual(first);
    expect(systemClock().shared).toBeUndefined();
  });
});
