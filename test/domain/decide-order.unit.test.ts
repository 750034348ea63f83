import { describe, expect, it } from 'vitest';
import { decideOrder } from '../../src/domain/decide-order.ts';
import type { LineRequest } from '../../src/domain/order.ts';
import type { OrderCommand, SettleOutcome } from '../../src/domain/order-commands.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';
import { givenOrder, held, lineA, lineB, open, orderStartMs } from '../support/order-spec.ts';

const change = (...lines: LineRequest[]): OrderCommand => ({
  type: 'BeginOrderChange',
  orderId: 'o1',
  lines,
  linesMax: 3,
});
const complete = (...ids: [string, string, string][]): OrderCommand => ({
  type: 'CompleteOrderChange',
  orderId: 'o1',
  reservations: ids.map(([sku, warehouseId, reservationId]) => ({
    sku,
    warehouseId,
    reservationId,
  })),
});
const settle = (outcome: SettleOutcome, lines?: LineRequest[]): OrderCommand => ({
  type: 'SettleOrder',
  orderId: 'o1',
  outcome,
  lines,
});
const failed: OrderCommand = {
  type: 'MarkOrderFailed',
  orderId: 'o1',
  failures: [{ sku: 'B', warehouseId: 'W2', code: 'INSUFFICIENT_STOCK' }],
};
const settled: OrderCommand = { type: 'MarkOrderSettled', orderId: 'o1' };
const expiresAtMs = orderStartMs + 60_000;

describe('placing an order', () => {
  it('records it PENDING with its lines, deadline and version 1', () => {
    givenOrder()
      .when(open())
      .thenEmits({
        type: 'OrderPlaced',
        orderId: 'o1',
        customerId: 'c1',
        status: 'PENDING',
        orderVersion: 1,
        totalQuantity: 5,
        lines: [lineA, lineB],
        expiresAtMs: orderStartMs + 60_000,
      });
  });

  it('is idempotent by orderId: the same order (lines in any order) again is a repeat', () => {
    givenOrder(open())
      .when(open([lineB, lineA]))
      .thenUnchanged();
    givenOrder(open(), held).when(open()).thenUnchanged();
    givenOrder(open(), failed).when(open()).thenUnchanged();
  });

  it.each<[string, OrderCommand]>([
    ['another quantity', open([lineA, { ...lineB, quantity: 4 }])],
    ['another line', open([lineA])],
    ['another ttl', open([lineA, lineB], 30)],
    ['another customer', { ...open(), customerId: 'c2' } as OrderCommand],
  ])('refuses the same orderId with %s', (_name, command) => {
    givenOrder(open()).when(command).thenRejects('IDEMPOTENCY_KEY_REUSED');
  });

  it('is HELD once every line is, each with its hold', () => {
    const then = givenOrder(open()).when(held);
    then.thenEmits({ type: 'OrderHeld', status: 'HELD', orderVersion: 1 });
    expect(then.after?.lines).toEqual([
      { ...lineA, reservationId: 'rsv-1-1' },
      { ...lineB, reservationId: 'rsv-2-1' },
    ]);
  });

  it('fails as a whole: the failing line has its own code, the others LINKED_LINE_FAILED', () => {
    givenOrder(open())
      .when(failed)
      .thenEmits({
        type: 'OrderFailed',
        status: 'FAILED',
        lines: [
          { ...lineA, code: 'LINKED_LINE_FAILED' },
          { ...lineB, code: 'INSUFFICIENT_STOCK' },
        ],
      });
  });
});

describe('changing quantities', () => {
  it('records the per-line deltas, then completes with a new version', () => {
    const added = { sku: 'C', warehouseId: 'W1', quantity: 1 };
    const begin = givenOrder(open(), held).when(change({ ...lineA, quantity: 5 }, added));
    begin.thenEmits({
      type: 'OrderChangeRequested',
      orderVersion: 1,
      totalQuantity: 5,
      lines: [
        { ...lineA, quantity: 5, delta: 3, reservationId: 'rsv-1-1' },
        { ...added, delta: 1 },
      ],
    });
    const then = givenOrder(open(), held, change({ ...lineA, quantity: 5 }, added)).when(
      complete(['C', 'W1', 'rsv-3-1']),
    );
    then.thenEmits({ type: 'OrderQuantityAdjusted', orderVersion: 2, totalQuantity: 9 });
    expect(then.after).toMatchObject({
      version: 2,
      lines: [
        { ...lineA, quantity: 5, reservationId: 'rsv-1-1' },
        lineB,
        { ...added, reservationId: 'rsv-3-1' },
      ],
    });
    expect(then.after?.pendingChange).toBeUndefined();
  });

  it('drops a line at 0 and keeps lines it does not name', () => {
    const then = givenOrder(open(), held, change({ ...lineB, quantity: 0 })).when(complete());
    then.thenEmits({
      type: 'OrderQuantityAdjusted',
      totalQuantity: 2,
      lines: [{ ...lineB, quantity: 0, delta: -3 }],
    });
    expect(then.after?.lines).toEqual([{ ...lineA, reservationId: 'rsv-1-1' }]);
  });

  it('a rejected change leaves the order as it was, with each line code', () => {
    const then = givenOrder(open(), held, change({ ...lineA, quantity: 9 })).when({
      type: 'RejectOrderChange',
      orderId: 'o1',
      failures: [{ sku: 'A', warehouseId: 'W1', code: 'INSUFFICIENT_STOCK' }],
    });
    then.thenEmits({
      type: 'OrderChangeRejected',
      orderVersion: 1,
      lines: [{ sku: 'A', warehouseId: 'W1', quantity: 9, code: 'INSUFFICIENT_STOCK' }],
    });
    expect(then.after).toMatchObject({ version: 1, lines: [{ quantity: 2 }, { quantity: 3 }] });
  });

  it('the same quantities again change nothing', () => {
    givenOrder(open(), held).when(change(lineA, lineB)).thenUnchanged();
  });

  it.each<[string, OrderCommand[], OrderCommand, RejectionCode, number?]>([
    ['a pending order', [open()], change(lineA), 'ORDER_BUSY'],
    [
      'a change under way',
      [open(), held, change({ ...lineA, quantity: 1 })],
      change(lineB),
      'ORDER_BUSY',
    ],
    ['a failed order', [open(), failed], change(lineA), 'ORDER_FAILED'],
    ['a confirmed order', [open(), held, settle('CONFIRMED')], change(lineA), 'ORDER_CONFIRMED'],
    ['a cancelled order', [open(), held, settle('CANCELLED')], change(lineA), 'ORDER_CANCELLED'],
    ['an order past its deadline', [open(), held], change(lineA), 'ORDER_EXPIRED', expiresAtMs],
    [
      'dropping every line',
      [open(), held],
      change({ ...lineA, quantity: 0 }, { ...lineB, quantity: 0 }),
      'ORDER_EMPTY',
    ],
    [
      'more lines than allowed',
      [open(), held],
      change(
        { sku: 'C', warehouseId: 'W', quantity: 1 },
        { sku: 'D', warehouseId: 'W', quantity: 1 },
      ),
      'ORDER_LINE_LIMIT_REACHED',
    ],
  ])('is refused for %s', (_name, setup, command, code, at) => {
    givenOrder(...setup)
      .when(command, at)
      .thenRejects(code);
  });
});

describe('settling an order', () => {
  it('confirms every line in full, or named lines partly (the rest is released)', () => {
    givenOrder(open(), held)
      .when(settle('CONFIRMED'))
      .thenEmits({ type: 'OrderConfirmed', status: 'CONFIRMED', totalQuantity: 5 });
    const partial = givenOrder(open(), held).when(settle('CONFIRMED', [{ ...lineB, quantity: 1 }]));
    partial.thenEmits({
      type: 'OrderConfirmed',
      totalQuantity: 3,
      lines: [
        { ...lineA, reservationId: 'rsv-1-1' },
        { ...lineB, quantity: 1, delta: -2, reservationId: 'rsv-2-1' },
      ],
    });
    expect(partial.after).toMatchObject({
      settling: true,
      lines: [{ quantity: 2 }, { quantity: 1 }],
    });
  });

  it.each<[string, LineRequest[], RejectionCode]>([
    ['more than held', [{ ...lineA, quantity: 3 }], 'CONFIRM_EXCEEDS_HELD'],
    [
      'a line it does not have',
      [{ sku: 'Z', warehouseId: 'W', quantity: 1 }],
      'ORDER_LINE_NOT_FOUND',
    ],
  ])('refuses to confirm %s', (_name, lines, code) => {
    givenOrder(open(), held).when(settle('CONFIRMED', lines)).thenRejects(code);
  });

  it('settles once: the lines are then done, and a repeat changes nothing', () => {
    givenOrder(open(), held, settle('CONFIRMED'))
      .when(settled)
      .thenEmits({ type: 'OrderSettled', status: 'CONFIRMED' });
    givenOrder(open(), held, settle('CONFIRMED'), settled)
      .when(settle('CONFIRMED'))
      .thenUnchanged();
    givenOrder(open(), held, settle('CANCELLED')).when(settle('CANCELLED')).thenUnchanged();
    givenOrder(open(), held, settle('CONFIRMED'), settled).when(settled).thenUnchanged();
  });

  it('expires only a due, idle HELD order', () => {
    givenOrder(open(), held)
      .when(settle('EXPIRED'), expiresAtMs)
      .thenEmits({ type: 'OrderExpired', status: 'EXPIRED' });
    givenOrder(open(), held)
      .when(settle('EXPIRED'), expiresAtMs - 1)
      .thenUnchanged();
    givenOrder(open(), held, settle('CONFIRMED'))
      .when(settle('EXPIRED'), expiresAtMs)
      .thenUnchanged();
    givenOrder(open(), held, change({ ...lineA, quantity: 1 }))
      .when(settle('EXPIRED'), expiresAtMs)
      .thenUnchanged();
  });

  it('cancels a held order; cancelling one that holds nothing is a no-op', () => {
    givenOrder(open(), held).when(settle('CANCELLED')).thenEmits({ type: 'OrderCancelled' });
    givenOrder(open(), failed).when(settle('CANCELLED')).thenUnchanged();
    const expired = givenOrder(open(), held).when(settle('EXPIRED'), expiresAtMs).after;
    expect(decideOrder(settle('CANCELLED'), { order: expired, nowMs: expiresAtMs })).toEqual({
      outcome: 'unchanged',
    });
    givenOrder(open(), held, settle('CONFIRMED'))
      .when(settle('CANCELLED'))
      .thenRejects('ORDER_CONFIRMED');
    givenOrder(open(), held, settle('CANCELLED'))
      .when(settle('CONFIRMED'))
      .thenRejects('ORDER_CANCELLED');
    givenOrder().when(settle('CANCELLED')).thenRejects('ORDER_NOT_FOUND');
  });

  it('keeps its whole timeline', () => {
    const { order } = givenOrder(
      open(),
      held,
      change({ ...lineA, quantity: 4 }),
      complete(),
      settle('CONFIRMED'),
      settled,
    );
    expect(order?.timeline.map((entry) => [entry.type, entry.status, entry.version])).toEqual([
      ['OrderPlaced', 'PENDING', 1],
      ['OrderHeld', 'HELD', 1],
      ['OrderChangeRequested', 'HELD', 1],
      ['OrderQuantityAdjusted', 'HELD', 2],
      ['OrderConfirmed', 'CONFIRMED', 2],
      ['OrderSettled', 'CONFIRMED', 2],
    ]);
  });
});
