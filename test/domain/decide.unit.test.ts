import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/domain/commands.ts';
import { limits } from '../../src/domain/limits.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';
import { given, receive, reserve } from '../support/decider-spec.ts';

const item = { sku: 'SKU-1', warehouseId: 'WH-1' };
const release = (reservationId: string): Command => ({ type: 'Release', reservationId });
const confirm = (reservationId: string): Command => ({ type: 'Confirm', reservationId });
const expire = (reservationId: string): Command => ({ type: 'Expire', reservationId });
const change = (reservationId: string, quantity: number): Command => ({
  type: 'ChangeReservation',
  reservationId,
  quantity,
});
const adjust = (change: { delta: number } | { setTotal: number }): Command => ({
  type: 'AdjustStock',
  ...item,
  ...change,
  reason: 'count',
});
const setStatus = (status: 'ACTIVE' | 'INACTIVE'): Command => ({
  type: 'SetItemStatus',
  ...item,
  status,
});

describe('stock', () => {
  it('a first receipt creates the item', () => {
    given().when(receive(10)).thenEmits({
      type: 'StockReceived',
      quantity: 10,
      totalDelta: 10,
      reservedDelta: 0,
      totalQty: 10,
      reservedQty: 0,
      status: 'ACTIVE',
      itemVersion: 1,
    });
  });

  it('a stock count creates the item; a delta needs one', () => {
    given()
      .when(adjust({ setTotal: 5 }))
      .thenEmits({ type: 'StockAdjusted', totalQty: 5 });
    given()
      .when(adjust({ delta: 5 }))
      .thenRejects('ITEM_NOT_FOUND');
  });

  it('adjusts by delta and by count', () => {
    given(receive(10))
      .when(adjust({ delta: -3 }))
      .thenEmits({ totalDelta: -3, totalQty: 7, itemVersion: 2, reason: 'count' });
    given(receive(10))
      .when(adjust({ setTotal: 4 }))
      .thenEmits({ totalDelta: -6, totalQty: 4 });
  });

  it('an adjustment carries its delta; a count also what it counted', () => {
    given(receive(10))
      .when(adjust({ delta: -3 }))
      .thenEmits({ type: 'StockAdjusted', delta: -3 });
    given(receive(10))
      .when(adjust({ setTotal: 10 }))
      .thenEmits({ delta: 0, setTotal: 10, totalDelta: 0, totalQty: 10 });
    given(receive(10))
      .when(adjust({ setTotal: 4 }))
      .thenEmits({ delta: -6, setTotal: 4 });
  });

  it('status changes once; the same status again is a no-op', () => {
    given(receive(1))
      .when(setStatus('INACTIVE'))
      .thenEmits({ type: 'ItemStatusChanged', status: 'INACTIVE' });
    given(receive(1)).when(setStatus('ACTIVE')).thenUnchanged();
  });

  const stockRules: [string, Command[], Command, RejectionCode][] = [
    [
      'count below reserved',
      [receive(10), reserve('o1', 6)],
      adjust({ setTotal: 5 }),
      'WOULD_UNDERCUT_RESERVED',
    ],
    [
      'delta below reserved',
      [receive(10), reserve('o1', 6)],
      adjust({ delta: -5 }),
      'WOULD_UNDERCUT_RESERVED',
    ],
    ['delta below zero', [receive(3)], adjust({ delta: -4 }), 'WOULD_GO_NEGATIVE'],
    ['status of unknown item', [], setStatus('INACTIVE'), 'ITEM_NOT_FOUND'],
    [
      'receipt past the total limit',
      [adjust({ setTotal: limits.totalQtyMax })],
      receive(1),
      'QUANTITY_LIMIT_EXCEEDED',
    ],
  ];
  it.each(stockRules)('%s → %s', (_name, setup, command, code) => {
    given(...setup)
      .when(command)
      .thenRejects(code);
  });
});

describe('reserve', () => {
  it('holds stock and sets the deadline; the id names the partition and the event’s seq', () => {
    given(receive(10))
      .when(reserve('order-1', 3, 60), 5_000)
      .thenEmits({
        type: 'StockReserved',
        reservationId: 'rsv-0-2',
        idempotencyKey: 'order-1',
        quantity: 3,
        reservedDelta: 3,
        reservedQty: 3,
        totalQty: 10,
        reservationVersion: 1,
        expiresAtMs: 65_000,
      });
  });

  it('may take exactly the available stock, not one more', () => {
    given(receive(5)).when(reserve('o1', 5)).thenEmits({ reservedQty: 5 });
    given(receive(5), reserve('o1', 2)).when(reserve('o2', 4)).thenRejects('INSUFFICIENT_STOCK');
  });

  it('the same key and body again returns the original and emits nothing', () => {
    given(receive(10), reserve('o1', 3)).when(reserve('o1', 3)).thenUnchanged();
  });

  it('an idempotent repeat wins over later state (inactive item, no stock)', () => {
    given(receive(3), reserve('o1', 3), setStatus('INACTIVE'))
      .when(reserve('o1', 3))
      .thenUnchanged();
  });

  it('scopes an idempotency key to its item: the same key on another item is a new hold', () => {
    const other = { sku: 'SKU-2', warehouseId: 'WH-1' };
    given(receive(10), { type: 'ReceiveStock', ...other, quantity: 10 }, reserve('o1', 3))
      .when({ type: 'Reserve', ...other, idempotencyKey: 'o1', quantity: 3, ttlSeconds: 60 })
      .thenEmits({ type: 'StockReserved', reservationId: 'rsv-0-4', reservedQty: 3 });
  });

  it('compares a repeat against the original request, not the adjusted quantity', () => {
    const { subject } = given(receive(10), reserve('o1', 3), change('rsv-0-2', 5));
    expect(subject.decide(reserve('o1', 3), 0)).toEqual({ outcome: 'unchanged' });
    expect(subject.decide(reserve('o1', 5), 0)).toEqual({
      outcome: 'rejected',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  const reserveRules: [string, Command[], Command, RejectionCode][] = [
    ['unknown item', [], reserve('o1', 1), 'ITEM_NOT_FOUND'],
    [
      'same key, other quantity',
      [receive(10), reserve('o1', 3)],
      reserve('o1', 4),
      'IDEMPOTENCY_KEY_REUSED',
    ],
    [
      'same key, other ttl',
      [receive(10), reserve('o1', 3, 60)],
      reserve('o1', 3, 61),
      'IDEMPOTENCY_KEY_REUSED',
    ],
    ['inactive item', [receive(10), setStatus('INACTIVE')], reserve('o1', 1), 'ITEM_INACTIVE'],
    [
      'inactive beats insufficient',
      [receive(1), setStatus('INACTIVE')],
      reserve('o1', 5),
      'ITEM_INACTIVE',
    ],
    ['not enough stock', [receive(2)], reserve('o1', 3), 'INSUFFICIENT_STOCK'],
  ];
  it.each(reserveRules)('%s → %s', (_name, setup, command, code) => {
    given(...setup)
      .when(command)
      .thenRejects(code);
  });
});

describe('reservation lifecycle', () => {
  const held = [receive(10), reserve('o1', 4)];
  /** A reservation's id names the seq of its StockReserved: here the second event. */
  const id = 'rsv-0-2';

  it('confirm takes the stock out of total and reserved', () => {
    given(...held)
      .when(confirm(id))
      .thenEmits({
        type: 'ReservationConfirmed',
        totalDelta: -4,
        reservedDelta: -4,
        totalQty: 6,
        reservedQty: 0,
        reservationVersion: 2,
      });
  });

  it('release and expiry return the stock', () => {
    given(...held)
      .when(release(id))
      .thenEmits({ type: 'ReservationReleased', reservedQty: 0, totalQty: 10 });
    given(...held)
      .when(expire(id), 1e12)
      .thenEmits({ type: 'ReservationExpired', reservedQty: 0 });
  });

  it('expiry before the deadline is a no-op', () => {
    given(...held)
      .when(expire(id), 1_000_002)
      .thenUnchanged();
  });

  it('a change records the delta with a new version', () => {
    given(...held)
      .when(change(id, 7))
      .thenEmits({
        type: 'ReservationAdjusted',
        delta: 3,
        quantity: 7,
        reservationVersion: 2,
        reservedQty: 7,
      });
    given(...held)
      .when(change(id, 1))
      .thenEmits({ delta: -3, quantity: 1, reservedQty: 1 });
    given(...held)
      .when(change(id, 4))
      .thenUnchanged();
  });

  it('a decrease is allowed on an inactive item, an increase is not', () => {
    given(...held, setStatus('INACTIVE'))
      .when(change(id, 2))
      .thenEmits({ delta: -2 });
    given(...held, setStatus('INACTIVE'))
      .when(change(id, 5))
      .thenRejects('ITEM_INACTIVE');
  });

  const settledNoOps: [string, Command[], Command][] = [
    ['confirm of confirmed', [...held, confirm(id)], confirm(id)],
    ['release of released', [...held, release(id)], release(id)],
    ['release of expired', [...held, expire(id)], release(id)],
    ['expire of confirmed', [...held, confirm(id)], expire(id)],
    ['expire of released', [...held, release(id)], expire(id)],
  ];
  it.each(settledNoOps)('%s is a no-op', (_name, setup, command) => {
    const { subject } = given(receive(10), reserve('o1', 4));
    let at = 2e12;
    for (const step of setup.slice(2)) expect(subject.execute(step, at++).outcome).toBe('applied');
    expect(subject.decide(command, at)).toEqual({ outcome: 'unchanged' });
  });

  const lifecycleRules: [string, Command[], Command, RejectionCode][] = [
    ['release of unknown', [receive(1)], release('rsv-0-9'), 'RESERVATION_NOT_FOUND'],
    ['confirm of unknown', [receive(1)], confirm('rsv-0-9'), 'RESERVATION_NOT_FOUND'],
    ['change of unknown', [receive(1)], change('rsv-0-9', 1), 'RESERVATION_NOT_FOUND'],
    ['release of confirmed', [...held, confirm(id)], release(id), 'RESERVATION_CONFIRMED'],
    ['confirm of released', [...held, release(id)], confirm(id), 'RESERVATION_RELEASED'],
    ['change of confirmed', [...held, confirm(id)], change(id, 1), 'RESERVATION_CONFIRMED'],
    ['change of released', [...held, release(id)], change(id, 1), 'RESERVATION_RELEASED'],
    ['increase beyond available', held, change(id, 11), 'INSUFFICIENT_STOCK'],
  ];
  it.each(lifecycleRules)('%s → %s', (_name, setup, command, code) => {
    given(...setup)
      .when(command)
      .thenRejects(code);
  });

  it('confirm of an expired hold is refused', () => {
    const { subject } = given(...held);
    subject.execute(expire(id), 2e12);
    expect(subject.decide(confirm(id), 2e12)).toEqual({
      outcome: 'rejected',
      code: 'RESERVATION_EXPIRED',
    });
  });

  it('a reservation takes a bounded number of quantity changes', () => {
    const { subject } = given(receive(10), reserve('o1', 1));
    for (let n = 0; n < limits.reservationAdjustmentsMax; n++) {
      expect(subject.execute(change(id, n % 2 === 0 ? 2 : 1), 2e6 + n).outcome).toBe('applied');
    }
    expect(subject.decide(change(id, 3), 3e6)).toEqual({
      outcome: 'rejected',
      code: 'ADJUSTMENT_LIMIT_REACHED',
    });
  });
});
