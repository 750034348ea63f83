import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2 } from '../../src/partitioner/murmur2.ts';
import { partitionsOfWorker, workerOfPartition } from '../../src/partitioner/ownership.ts';
import { partitionOf, partitionOfItem } from '../../src/partitioner/partition-of.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('murmur2', () => {
  // Apache Kafka clients, UtilsTest.testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %i as in Kafka', (key, expected) => {
    expect(murmur2(bytes(key))).toBe(expected);
  });
});

describe('partitionOf', () => {
  const kafkaPartition = Partitioners.DefaultPartitioner();
  const partitionMetadata = (count: number) =>
    Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));

  it('agrees with kafkajs default (Java-compatible) partitioner for any key', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 512 }),
        (key, count) => {
          const expected = kafkaPartition({
            topic: 't',
            partitionMetadata: partitionMetadata(count),
            message: { key, value: null },
          });
          expect(partitionOf(key, count)).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('spreads item keys over partitions', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[partitionOf(`SKU-${i}|WH-${i % 7}`, 64)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1_200);
  });
});

describe('ownership', () => {
  it('gives every partition exactly one worker, for any worker count', () => {
    for (const workers of [1, 2, 3, 5, 64]) {
      const owned = Array.from({ length: workers }, (_, w) => partitionsOfWorker(w, workers, 64));
      expect(owned.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, p) => p));
      for (const [worker, partitions] of owned.entries()) {
        for (const p of partitions) expect(workerOfPartition(p, workers)).toBe(worker);
      }
    }
  });
});

describe('partitionOfItem', () => {
  it('is the partition of the item key, built or not (ASCII or not, short or long)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 300, unit: 'grapheme' }),
        fc.integer({ min: 1, max: 512 }),
        (sku, warehouseId, count) => {
          expect(partitionOfItem(sku, warehouseId, count)).toBe(
            partitionOf(`${sku}|${warehouseId}`, count),
          );
        },
      ),
    );
  });
});
