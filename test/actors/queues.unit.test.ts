import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from '../../src/actors/expiry-queue.ts';
import { HoldRetentionQueue } from '../../src/actors/hold-retention-queue.ts';
import { RetentionQueue } from '../../src/actors/retention-queue.ts';

const deadline = (dueAtMs: number, n = 0) => ({
  dueAtMs,
  partition: 0,
  reservationId: `rsv-0-${n}`,
});

const holdDeadline = (dueAtMs: number, n = 0) => ({ dueAtMs, partition: 7, creationSeq: n + 1 });

describe('ExpiryQueue', () => {
  it('pops exactly the due deadlines, earliest first, whatever the insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 })),
        fc.integer({ min: 0, max: 1_000 }),
        (dues, now) => {
          const queue = new ExpiryQueue();
          for (const [n, due] of dues.entries()) queue.push(holdDeadline(due, n));
          const popped = queue.popDue(now, Number.POSITIVE_INFINITY);
          expect(popped.map((d) => d.dueAtMs)).toEqual(
            dues.filter((due) => due <= now).sort((a, b) => a - b),
          );
          // Each comes back as the hold it was queued for.
          for (const { dueAtMs, partition, reservationId } of popped) {
            expect(partition).toBe(7);
            const n = Number(reservationId.slice('rsv-7-'.length)) - 1;
            expect(reservationId).toBe(`rsv-7-${n + 1}`);
            expect(dues[n]).toBe(dueAtMs);
          }
          expect(queue.size).toBe(dues.filter((due) => due > now).length);
        },
      ),
    );
  });

  it('keeps its order past its first capacity', () => {
    const queue = new ExpiryQueue();
    const dues = Array.from({ length: 5_000 }, (_, n) => (n * 7_919) % 5_003);
    for (const [n, due] of dues.entries()) queue.push(holdDeadline(due, n));
    const popped = queue.popDue(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    expect(popped.map((d) => d.dueAtMs)).toEqual([...dues].sort((a, b) => a - b));
    expect(queue.size).toBe(0);
  });

  it('pops at most the limit', () => {
    const queue = new ExpiryQueue();
    for (let n = 0; n < 10; n++) queue.push(holdDeadline(n, n));
    expect(queue.popDue(100, 3)).toHaveLength(3);
    expect(queue.size).toBe(7);
  });
});

describe('RetentionQueue', () => {
  it('releases entries when due, oldest first', () => {
    const queue = new RetentionQueue(100);
    for (let n = 0; n < 5; n++) queue.push(deadline(n * 10, n));
    expect(queue.popDue(25, 100).map((d) => d.dueAtMs)).toEqual([0, 10, 20]);
    expect(queue.size).toBe(2);
  });

  it('forgets the oldest early when over capacity', () => {
    const queue = new RetentionQueue(2);
    for (let n = 0; n < 5; n++) queue.push(deadline(1_000 + n, n));
    expect(queue.popDue(0, 100).map((d) => d.reservationId)).toEqual([
      'rsv-0-0',
      'rsv-0-1',
      'rsv-0-2',
    ]);
    expect(queue.size).toBe(2);
  });
});

describe('HoldRetentionQueue', () => {
  it('releases holds when due, oldest first, each named by its partition and seq', () => {
    const queue = new HoldRetentionQueue(100);
    for (let n = 0; n < 5; n++) queue.push(holdDeadline(n * 10, n));
    expect(queue.popDue(25, 100)).toEqual([
      { dueAtMs: 0, partition: 7, reservationId: 'rsv-7-1' },
      { dueAtMs: 10, partition: 7, reservationId: 'rsv-7-2' },
      { dueAtMs: 20, partition: 7, reservationId: 'rsv-7-3' },
    ]);
    expect(queue.size).toBe(2);
  });

  it('forgets the oldest early when over capacity, and pops at most the limit', () => {
    const queue = new HoldRetentionQueue(2);
    for (let n = 0; n < 5; n++) queue.push(holdDeadline(1_000 + n, n));
    expect(queue.popDue(0, 2).map((d) => d.reservationId)).toEqual(['rsv-7-1', 'rsv-7-2']);
    expect(queue.popDue(0, 100).map((d) => d.reservationId)).toEqual(['rsv-7-3']);
    expect(queue.size).toBe(2);
  });

  // Pops move the ring's head, so it grows while wrapped around its end.
  it('keeps its order while it grows around the end of its ring', () => {
    const queue = new HoldRetentionQueue(1_000_000);
    let pushed = 0;
    let popped = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 700; i++, pushed++) queue.push(holdDeadline(pushed, pushed));
      for (const deadline of queue.popDue(popped + 299, 1_000)) {
        expect(deadline.dueAtMs).toBe(popped);
        expect(deadline.reservationId).toBe(`rsv-7-${popped + 1}`);
        popped++;
      }
    }
    expect(popped).toBe(6 * 300);
    expect(queue.size).toBe(pushed - popped);
    const rest = queue.popDue(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    expect(rest.map((d) => d.dueAtMs)).toEqual(
      Array.from({ length: pushed - popped }, (_, i) => popped + i),
    );
  });
});
