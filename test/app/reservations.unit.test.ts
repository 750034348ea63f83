// The reservation use cases, against an engine that records what it is asked and answers a
// fixed result: what the use case adds is which request it makes, and what it makes of the answer.
import { describe, expect, it } from 'vitest';
import { createReservations, type ReserveInput } from '../../src/app/reservations.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult, ReservationView } from '../../src/worker-protocol/results.ts';

const held: ReservationView = {
  reservationId: 'rsv-1-7',
  sku: 'S',
  warehouseId: 'W',
  idempotencyKey: 'order-1',
  quantity: 5,
  status: 'HELD',
  ttlSeconds: 900,
  createdAtMs: 1_000,
  expiresAtMs: 901_000,
  updatedAtMs: 2_000,
  version: 2,
  history: [
    { version: 1, delta: 3, quantity: 3, atMs: 1_000 },
    { version: 2, delta: 2, quantity: 5, atMs: 2_000 },
  ],
};

function reservationsOver(answer: EngineResult) {
  const requests: EngineRequest[] = [];
  const engine = {
    submit: async (request: EngineRequest) => {
      requests.push(request);
      return answer;
    },
    submitMany: async (batch: readonly EngineRequest[]) => {
      requests.push(...batch);
      return batch.map(() => answer);
    },
  };
  return { requests, reservations: createReservations({ engine, defaultTtlSeconds: 900 }) };
}

const item = { sku: 'S', warehouseId: 'W', quantity: 3 };

describe('reserve', () => {
  // Rows: the keys given → the idempotency key the engine is asked with, or the refusal.
  const keyRows: [name: string, keys: Partial<ReserveInput>, expected: string][] = [
    ['idempotencyKey only', { idempotencyKey: 'order-1' }, 'order-1'],
    ['orderId only (the seed’s name)', { orderId: 'order-1' }, 'order-1'],
    ['both, equal', { idempotencyKey: 'order-1', orderId: 'order-1' }, 'order-1'],
    ['both, different', { idempotencyKey: 'order-1', orderId: 'order-2' }, 'VALIDATION'],
    ['neither', {}, 'VALIDATION'],
  ];
  it.each(keyRows)('%s → %s', async (_name, keys, expected) => {
    const { requests, reservations } = reservationsOver({
      ok: true,
      applied: true,
      reservation: held,
    });
    const outcome = await reservations.reserve({ ...item, ...keys });
    if (expected === 'VALIDATION') {
      expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION' });
      expect(outcome.ok === false && outcome.issues?.map((issue) => issue.field)).toEqual([
        'idempotencyKey',
      ]);
      expect(requests).toEqual([]);
    } else {
      expect(outcome.ok).toBe(true);
      expect(requests).toMatchObject([{ type: 'Reserve', idempotencyKey: expected }]);
    }
  });

  it.each([
    ['no ttlSeconds: the configured default', undefined, 900],
    ['ttlSeconds given: that one', 60, 60],
  ])('%s', async (_name, ttlSeconds, expected) => {
    const { requests, reservations } = reservationsOver({
      ok: true,
      applied: true,
      reservation: held,
    });
    await reservations.reserve({ ...item, idempotencyKey: 'order-1', ttlSeconds });
    expect(requests).toEqual([
      { type: 'Reserve', ...item, idempotencyKey: 'order-1', ttlSeconds: expected },
    ]);
  });

  it.each([
    ['a new hold', true, true],
    ['an idempotent repeat', false, false],
  ])('%s: created is %s', async (_name, applied, created) => {
    const { reservations } = reservationsOver({ ok: true, applied, reservation: held });
    expect(await reservations.reserve({ ...item, orderId: 'order-1' })).toEqual({
      ok: true,
      value: { reservation: held, created },
    });
  });

  it('passes the engine’s refusal on unchanged', async () => {
    const refusal: EngineResult = { ok: false, code: 'INSUFFICIENT_STOCK' };
    const { reservations } = reservationsOver(refusal);
    expect(await reservations.reserve({ ...item, orderId: 'order-1' })).toBe(refusal);
  });
});

describe('changeReservation', () => {
  it.each([
    ['a change answers the delta it recorded', true, 2],
    ['the quantity it already had: delta 0', false, 0],
  ])('%s', async (_name, applied, delta) => {
    const { requests, reservations } = reservationsOver({ ok: true, applied, reservation: held });
    const outcome = await reservations.changeReservation({ reservationId: 'rsv-1-7', quantity: 5 });
    expect(requests).toEqual([
      { type: 'ChangeReservation', reservationId: 'rsv-1-7', quantity: 5 },
    ]);
    expect(outcome).toEqual({ ok: true, value: { reservation: held, delta } });
  });
});

describe('confirm, release, getReservation', () => {
  it.each([
    ['confirm', 'Confirm'],
    ['release', 'Release'],
    ['getReservation', 'GetReservation'],
  ] as const)('%s asks the engine for %s and answers the reservation', async (use, type) => {
    const { requests, reservations } = reservationsOver({
      ok: true,
      applied: false,
      reservation: held,
    });
    expect(await reservations[use]('rsv-1-7')).toEqual({ ok: true, value: held });
    expect(requests).toEqual([{ type, reservationId: 'rsv-1-7' }]);
  });
});

describe('reserveMany', () => {
  it('sends every hold in order and answers each in its place', async () => {
    const { requests, reservations } = reservationsOver({
      ok: true,
      applied: false,
      reservation: held,
    });
    const outcome = await reservations.reserveMany(
      [
        { ...item, idempotencyKey: 'a' },
        { ...item, orderId: 'c', ttlSeconds: 60 },
      ],
      'batch-key',
    );
    expect(requests).toEqual([
      { type: 'Reserve', ...item, idempotencyKey: 'a', ttlSeconds: 900, actor: 'batch-key' },
      { type: 'Reserve', ...item, idempotencyKey: 'c', ttlSeconds: 60, actor: 'batch-key' },
    ]);
    const answer = { ok: true, value: { reservation: held, created: false } };
    expect(outcome).toEqual({ ok: true, value: [answer, answer] });
  });

  it('refuses them all, sending none, when one has no usable key', async () => {
    const { requests, reservations } = reservationsOver({ ok: true, applied: true });
    const outcome = await reservations.reserveMany([
      { ...item, idempotencyKey: 'a' },
      { ...item },
      { ...item, idempotencyKey: 'b', orderId: 'c' },
    ]);
    expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(outcome.ok === false && outcome.issues?.map((issue) => issue.field)).toEqual([
      'items.1.idempotencyKey',
      'items.2.idempotencyKey',
    ]);
    expect(requests).toEqual([]);
  });
});
