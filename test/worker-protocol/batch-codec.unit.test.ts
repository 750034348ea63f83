import { describe, expect, it } from 'vitest';
import {
  type BatchAnswer,
  BatchDecoder,
  BatchEncoder,
  type RequestBatch,
} from '../../src/worker-protocol/batch-codec.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';

const reserve = (n: number): EngineRequest => ({
  type: 'Reserve',
  sku: `SKU-${n}`,
  warehouseId: 'WH-1',
  idempotencyKey: `key-${n}`,
  quantity: 1 + (n % 3),
  ttlSeconds: 60,
});

const batchOf = (batchId: number, size: number): RequestBatch => ({
  batchId,
  partitions: Array.from({ length: size }, (_, i) => i % 8),
  requests: Array.from({ length: size }, (_, i) => reserve(batchId * 1_000 + i)),
});

const receipt = (n: number): EngineRequest => ({
  type: 'ReceiveStock',
  sku: `SKU-${n}`,
  warehouseId: 'WH-1',
  quantity: 1 + (n % 3),
});

describe('batch codec', () => {
  // Reserves go field by field (request-wire.ts); other requests are packed with records.
  it('carries a stream of batches, defining each record once', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const sizes: number[] = [];
    for (let batchId = 1; batchId <= 5; batchId++) {
      const batch = {
        batchId,
        partitions: [0, 5, 7],
        requests: [receipt(batchId), receipt(batchId * 10), receipt(batchId * 100)],
      };
      const bytes = encoder.encodeRequests(batch);
      sizes.push(bytes.byteLength);
      expect(decoder.decodeRequests(bytes)).toEqual(batch);
    }
    // Later messages refer to the records the first one defined: same content, fewer bytes.
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    expect(new Set(sizes.slice(1)).size).toBe(1);
  });

  it('keeps results of many shapes apart, past the number of record ids', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    // 100 distinct key sets: more than msgpackr's 64 ids, so ids are reused and redefined.
    for (let round = 0; round < 3; round++) {
      const answers: BatchAnswer[] = Array.from({ length: 100 }, (_, shape) => ({
        batchId: round * 100 + shape,
        results: [
          { ok: false, code: 'VALIDATION', message: `m${shape}`, [`field${shape}`]: shape },
        ],
      })) as unknown as BatchAnswer[];
      expect(decoder.decodeAnswers(encoder.encodeAnswers(answers))).toEqual(answers);
    }
  });

  it('recovers from a message it could not encode: the next ones still decode', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    expect(decoder.decodeRequests(encoder.encodeRequests(batchOf(1, 2)))).toEqual(batchOf(1, 2));
    // A record shape first met in a message that fails, then used by one that does not.
    const noted = (n: number, quantity: unknown) => ({ ...reserve(n), quantity, note: 'x' });
    const failing = { ...batchOf(2, 1), requests: [noted(1, 2n ** 70n)] };
    expect(() => encoder.encodeRequests(failing as unknown as RequestBatch)).toThrow(/too large/);
    for (let batchId = 3; batchId <= 4; batchId++) {
      const batch = { ...batchOf(batchId, 1), requests: [noted(batchId, 1)] };
      expect(decoder.decodeRequests(encoder.encodeRequests(batch as RequestBatch))).toEqual(batch);
    }
  });
});
