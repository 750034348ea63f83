import { describe, expect, it } from 'vitest';
import { leanReservationView } from '../../src/actors/result-views.ts';
import { noAdjustments, type Reservation } from '../../src/domain/reservation.ts';
import { leanViewFields } from '../../src/worker-protocol/answer-wire.ts';
import {
  type BatchAnswer,
  BatchDecoder,
  BatchEncoder,
} from '../../src/worker-protocol/batch-codec.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

const hold = (n: number, overrides: Partial<Reservation> = {}): Reservation => ({
  reservationId: `rsv-${n % 64}-${n + 1}`,
  itemKey: 'A|W',
  idempotencyKey: `k-${n}`,
  quantity: 1 + n,
  requestedQuantity: 1 + n,
  ttlSeconds: 60 + n,
  status: 'HELD',
  createdAtMs: 1_796_000_000_000 + n,
  expiresAtMs: 1_796_000_060_000 + n * 1.5,
  updatedAtMs: 1_796_000_000_001 + n,
  version: 1 + (n % 4),
  adjustments: noAdjustments,
  ...overrides,
});

const leanAnswer = (n: number, applied = true, overrides: Partial<Reservation> = {}) =>
  ({ ok: true, applied, reservation: leanReservationView(hold(n, overrides)) }) as EngineResult;

describe('lean Reserve answers on the batch channel', () => {
  it('carry every field of the lean view', () => {
    expect(Object.keys(leanReservationView(hold(1))).sort()).toEqual([...leanViewFields].sort());
  });

  // Every kind of answer in one stream of messages: lean ones field by field, the rest packed
  // (an id that is not ASCII, whole views, levels, refusals, duplicates), failures among them.
  it('come back equal, between answers of every other shape, message after message', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const statuses = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'] as const;
    for (let round = 0; round < 3; round++) {
      const results: EngineResult[] = [
        leanAnswer(round),
        leanAnswer(round + 1, false, { status: statuses[round + 1]! }),
        leanAnswer(round + 2, true, { reservationId: `rsv-1-é${round}` }),
        leanAnswer(round + 3, true, { quantity: 0.5, createdAtMs: -1, version: 2 ** 40 }),
        {
          ok: true,
          applied: true,
          reservation: { ...leanReservationView(hold(round)), sku: 'A', warehouseId: 'W' },
        } as EngineResult,
        { ok: true, applied: false, duplicate: true, reservation: leanReservationView(hold(9)) },
        { ok: false, code: 'INSUFFICIENT_STOCK' },
        { ok: false, code: 'VALIDATION', issues: [{ field: 'quantity', message: 'm' }] },
      ] as EngineResult[];
      const answers: BatchAnswer[] = [
        { batchId: round * 3 + 1, results },
        { batchId: round * 3 + 2, failure: `WorkerError: round ${round}` },
        { batchId: 2 ** 40 + round, results: results.slice(0, 2) },
      ];
      expect(decoder.decodeAnswers(encoder.encodeAnswers(answers))).toStrictEqual(answers);
    }
  });

  it('grow the message past its first buffer', () => {
    const results = Array.from({ length: 5_000 }, (_, n) => leanAnswer(n));
    const answers: BatchAnswer[] = [{ batchId: 1, results }];
    expect(new BatchDecoder().decodeAnswers(new BatchEncoder().encodeAnswers(answers))).toEqual(
      answers,
    );
  });
});
