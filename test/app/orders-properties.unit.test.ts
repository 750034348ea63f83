import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import type { LineRequest } from '../../src/domain/order.ts';
import { manualClock } from '../../src/worker-protocol/clock.ts';
import { partitionContents } from '../support/invariants.ts';
import { MemoryEngine } from '../support/memory-engine.ts';
import { expectOrderInvariants, orderContents } from '../support/order-invariants.ts';

/**
 * Random orders, changes, confirmations, cancellations, expiries and crashes over many items in
 * many partitions, against the real coordinator on real partition actors (a one-thread engine,
 * test/support/memory-engine.ts). Stock is scarce on purpose, so orders compete and fail.
 */
const partitionCount = 16;
const items = Array.from({ length: 10 }, (_, i) => ({ sku: `S${i}`, warehouseId: `W${i % 3}` }));
const stockPerItem = 8;
const ttlSeconds = 30;

type Op =
  | { kind: 'place'; order: number; lines: LineRequest[] }
  | { kind: 'change'; order: number; lines: LineRequest[] }
  | { kind: 'confirm'; order: number; lines: LineRequest[] | undefined }
  | { kind: 'cancel'; order: number }
  | { kind: 'wait'; seconds: number }
  /** The process dies after `requests` more engine requests, during the ops that follow. */
  | { kind: 'crash'; requests: number }
  | { kind: 'together'; ops: Op[] };

const linesOf = (quantityMin: number, max: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: items.length - 1 }), { minLength: 1, maxLength: max })
    .chain((picked) =>
      fc
        .tuple(...picked.map(() => fc.integer({ min: quantityMin, max: 5 })))
        .map((quantities) =>
          picked.map((index, i) => ({ ...items[index]!, quantity: quantities[i]! })),
        ),
    );

const order = fc.integer({ min: 0, max: 5 });
const single: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('place' as const), order, lines: linesOf(1, 4) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('change' as const), order, lines: linesOf(0, 3) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('confirm' as const),
      order,
      // Mostly in full; sometimes partly (such lines are often not the order's: refused).
      lines: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: linesOf(0, 2) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      seconds: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      requests: fc.integer({ min: 0, max: 8 }),
    }),
  },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: single },
  {
    weight: 1,
    arbitrary: fc
      .array(single, { minLength: 2, maxLength: 3 })
      .map((ops) => ({ kind: 'together' as const, ops })),
  },
);

async function simulate(ops: readonly Op[]) {
  const clock = manualClock(1_000_000);
  let engine = new MemoryEngine(partitionCount, clock);
  const coordinator = () =>
    createOrders({
      engine,
      defaultTtlSeconds: ttlSeconds,
      linesMax: 5,
      expiryIntervalMs: 100,
      expiryBatchMax: 100,
    });
  let orders = coordinator();
  for (const item of items) {
    await engine.submit({ type: 'ReceiveStock', ...item, quantity: stockPerItem });
  }
  const acknowledged = new Map<string, string>();
  const restart = async () => {
    engine = engine.restarted();
    orders = coordinator();
    await orders.recoverOrders();
  };
  const run = async (step: Op): Promise<void> => {
    const orderId = 'order' in step ? `o${step.order}` : '';
    switch (step.kind) {
      case 'place': {
        const outcome = await orders.placeOrder({ orderId, lines: step.lines });
        if (outcome.ok) acknowledged.set(orderId, outcome.value.order.status);
        return;
      }
      case 'change':
        await orders.changeOrder({ orderId, lines: step.lines });
        return;
      case 'confirm':
        await orders.confirmOrder({ orderId, lines: step.lines });
        return;
      case 'cancel':
        await orders.cancelOrder(orderId);
        return;
      case 'wait':
        clock.advance(step.seconds * 1000);
        await orders.expireDueOrders();
        return;
      case 'crash':
        engine.crashAfter(step.requests);
        return;
      case 'together':
        await Promise.all(step.ops.map(run));
        return;
    }
  };
  for (const step of ops) {
    await run(step);
    if (engine.crashed) await restart();
    expectOrderInvariants(engine.actors);
  }
  return { engine, acknowledged };
}

describe('orders across many items and partitions', () => {
  it('are never oversold, held as a whole or not at all, and replay to the same state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const { engine } = await simulate(ops);
        // The log alone rebuilds every item, hold and order exactly.
        const replayed = engine.restarted();
        expect(replayed.actors.map(partitionContents)).toEqual(
          engine.actors.map(partitionContents),
        );
        expect(orderContents(replayed.actors)).toEqual(orderContents(engine.actors));
      }),
      { numRuns: 300 },
    );
  });

  it('an acknowledged placement is HELD with every line, until a later request moves it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ kind: fc.constant('place' as const), order, lines: linesOf(1, 4) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (ops) => {
          const { engine, acknowledged } = await simulate(ops);
          for (const [orderId, status] of acknowledged) {
            expect(status).toBe('HELD');
            const order = engine.actors
              .flatMap((a) => [...a.orders.values()])
              .find((o) => o.orderId === orderId);
            expect(order?.status).toBe('HELD');
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
