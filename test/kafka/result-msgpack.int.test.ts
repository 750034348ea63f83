import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../src/engine/engine.ts';
import { connectEngine } from '../../src/engine/engine-link.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { toCommandResult } from '../../src/ingress/kafka/command-result.ts';
import { packCommandResult, packedDirectly } from '../../src/ingress/kafka/result-msgpack.ts';
import { packWithIntegers, unpackWithIntegers } from '../../src/kafka/msgpack-integers.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Decided = [EngineRequest, EngineResult][];

/**
 * Results as the command ingress thread gets them: through an engine link, lean and restored.
 * Each round's requests are made from the results before it.
 */
async function resultsOf(rounds: ((earlier: Decided) => EngineRequest[])[]): Promise<Decided> {
  const dir = tempDir('result-msgpack');
  cleanups.push(dir.remove);
  const engine = await startEngine(engineOptions({ dataDir: dir.path, workerCount: 1 }));
  cleanups.push(() => engine.close());
  const linked = connectEngine(engine.link());
  cleanups.push(() => linked.close());
  const pairs: Decided = [];
  for (const round of rounds) {
    const requests = round(pairs);
    const results = await linked.submitMany(requests);
    for (const [i, request] of requests.entries()) pairs.push([request, results[i]!]);
  }
  return pairs;
}

const item = { sku: 'SKU-1', warehouseId: 'WH-1' };

describe('packCommandResult', () => {
  it("decodes to toCommandResult's object, integers as integers, for every kind of result", async () => {
    const heldIds = (earlier: Decided) =>
      earlier.flatMap(([, r]) => (r.ok && r.reservation ? [r.reservation.reservationId] : []));
    const pairs = await resultsOf([
      () => [
        { type: 'ReceiveStock', ...item, quantity: 1_000_000_000 },
        { type: 'ReceiveStock', sku: 'SKU-2', warehouseId: 'WH-1', quantity: 1 },
      ],
      () => [
        { type: 'Reserve', ...item, idempotencyKey: 'order-1', quantity: 2, ttlSeconds: 60 },
        { type: 'Reserve', ...item, idempotencyKey: 'order-1', quantity: 2, ttlSeconds: 60 },
        { type: 'Reserve', ...item, idempotencyKey: 'order-2', quantity: 3, ttlSeconds: 900 },
        { type: 'Reserve', ...item, idempotencyKey: 'order-1', quantity: 7, ttlSeconds: 60 },
        {
          type: 'Reserve',
          sku: 'SKU-2',
          warehouseId: 'WH-1',
          idempotencyKey: 'o',
          quantity: 2,
          ttlSeconds: 60,
        },
        {
          type: 'Reserve',
          sku: 'SKU-9',
          warehouseId: 'WH-1',
          idempotencyKey: 'o',
          quantity: 1,
          ttlSeconds: 60,
        },
        { type: 'AdjustStock', ...item, delta: -1, reason: 'damaged in the büro' },
        { type: 'SetItemStatus', sku: 'SKU-2', warehouseId: 'WH-1', status: 'INACTIVE' },
        { type: 'GetItem', ...item },
        { type: 'Reserve', ...item, idempotencyKey: 'bad', quantity: -1, ttlSeconds: 60 },
      ],
      (earlier) => [
        { type: 'Confirm', reservationId: heldIds(earlier)[0]! },
        { type: 'Release', reservationId: heldIds(earlier)[0]! },
        { type: 'Release', reservationId: heldIds(earlier).at(-1)! },
        { type: 'Release', reservationId: 'rsv-0-999999' },
        { type: 'ChangeReservation', reservationId: heldIds(earlier).at(-1)!, quantity: 1 },
        { type: 'GetReservation', reservationId: heldIds(earlier).at(-1)! },
      ],
    ]);
    let direct = 0;
    for (const [request, result] of pairs) {
      const expected = toCommandResult(`cmd-${direct}`, request.type as never, result);
      const bytes = packCommandResult(`cmd-${direct}`, request.type as never, result);
      expect(unpackWithIntegers(bytes)).toEqual(expected);
      expect(unpackWithIntegers(bytes)).toEqual(unpackWithIntegers(packWithIntegers(expected)));
      if (packedDirectly(`cmd-${direct}`, request.type, result) !== undefined) direct++;
    }
    // Item and hold results and plain refusals are written directly; issues and histories not.
    expect(direct).toBeGreaterThanOrEqual(pairs.length - 3);
    expect(direct).toBeLessThan(pairs.length);
  });

  it('writes an order line’s hold (its orderId) and refusals with their own message', () => {
    const reservation = {
      reservationId: 'rsv-3-7',
      sku: 'SKU-1',
      warehouseId: 'WH-1',
      idempotencyKey: 'order-9',
      quantity: 4,
      status: 'HELD' as const,
      ttlSeconds: 60,
      createdAtMs: 1_796_107_505_446,
      expiresAtMs: 1_796_107_565_446,
      updatedAtMs: 1_796_107_505_446,
      version: 1,
      orderId: 'order-9',
    };
    const results: EngineResult[] = [
      { ok: true, applied: false, duplicate: true, reservation },
      { ok: false, code: 'INSUFFICIENT_STOCK', message: 'nur 3 verfügbar' },
      { ok: false, code: 'OVERLOADED' },
    ];
    for (const result of results) {
      expect(packedDirectly('c', 'Reserve', result)).toBeDefined();
      expect(unpackWithIntegers(packCommandResult('c', 'Reserve', result))).toEqual(
        toCommandResult('c', 'Reserve', result),
      );
    }
  });
});
