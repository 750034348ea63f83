import { describe, expect, it } from 'vitest';
import { createProjectionLag } from '../../src/projection/projection-lag.ts';

/** A lag tracker on a clock the test moves. */
function lagOnClock(startMs = 1_000_000) {
  const clock = { nowMs: startMs };
  const lag = createProjectionLag(() => clock.nowMs);
  return { lag, clock, of: (partition: number) => lag.snapshot().byPartition.get(partition) };
}

describe('projection lag', () => {
  it('is nothing while the projection is caught up', () => {
    const { lag, clock, of } = lagOnClock();
    lag.seen(0, 99, 99);
    clock.nowMs += 60_000;
    expect(of(0)).toEqual({ events: 0, seconds: 0 });
  });

  it('keeps growing while the run in hand waits for PostgreSQL, in events and seconds', () => {
    const { lag, clock, of } = lagOnClock();
    lag.seen(0, 99, 49);
    lag.waiting(0, 50, clock.nowMs - 5_000); // its first event is 5 s old
    expect(of(0)).toEqual({ events: 50, seconds: 5 });
    clock.nowMs += 30_000;
    lag.seen(0, 149, 49); // a poll: more events published meanwhile, nothing applied
    expect(of(0)).toEqual({ events: 100, seconds: 35 });
  });

  it('counts from the first event still waiting once a run committed', () => {
    const { lag, clock, of } = lagOnClock();
    lag.seen(0, 99, -1);
    lag.waiting(0, 0, clock.nowMs - 10_000);
    lag.applied(0, 49);
    lag.waiting(0, 50, clock.nowMs - 2_000);
    expect(of(0)).toEqual({ events: 50, seconds: 2 });
    lag.applied(0, 99);
    expect(of(0)).toEqual({ events: 0, seconds: 0 });
  });

  it('without a run in hand, counts from when the partition was last known to be applied', () => {
    const { lag, clock, of } = lagOnClock();
    lag.seen(0, 9, 9);
    clock.nowMs += 1_000;
    lag.seen(0, 19, 9); // a poll sees 10 new events; the projector has not fetched them
    clock.nowMs += 4_000;
    expect(of(0)).toEqual({ events: 10, seconds: 4 });
  });

  it('never moves back: an older report of a position changes nothing', () => {
    const { lag, of } = lagOnClock();
    lag.seen(0, 99, 79);
    lag.seen(0, 90, 20);
    expect(of(0)?.events).toBe(20);
  });

  it('forgets the run in hand once another member applied past it (a poll of the group)', () => {
    const { lag, clock, of } = lagOnClock();
    lag.seen(0, 99, 49);
    lag.waiting(0, 50, clock.nowMs - 60_000);
    lag.seen(0, 109, 99);
    expect(of(0)).toEqual({ events: 10, seconds: 0 });
  });

  it('adds the events of every partition and takes the oldest wait', () => {
    const { lag, clock } = lagOnClock();
    lag.seen(0, 9, 4);
    lag.waiting(0, 5, clock.nowMs - 3_000);
    lag.seen(1, 19, 9);
    lag.waiting(1, 10, clock.nowMs - 7_000);
    expect(lag.snapshot()).toMatchObject({ totalEvents: 15, seconds: 7 });
  });
});
