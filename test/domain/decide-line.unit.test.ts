import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/domain/commands.ts';
import type { SettleAction } from '../../src/domain/line-commands.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';
import { given, item, receive, reserve } from '../support/decider-spec.ts';

const deadlineMs = 2_000_000;
const hold = (orderId: string, quantity: number): Command => ({
  type: 'HoldLine',
  orderId,
  ...item,
  quantity,
  ttlSeconds: 60,
  expiresAtMs: deadlineMs,
});
const setQuantity = (orderId: string, reservationId: string, quantity: number): Command => ({
  type: 'SetLineQuantity',
  orderId,
  reservationId,
  quantity,
});
const settle = (
  orderId: string,
  reservationId: string,
  action: SettleAction,
  quantity = 0,
): Command => ({ type: 'SettleLine', orderId, reservationId, action, quantity });

// After given(receive(10), hold('o1', 4)) the order's hold is rsv-0-2.
const held = 'rsv-0-2';

describe("an order's line on its item", () => {
  it("is a hold under the order's id that expires with the order", () => {
    given(receive(10)).when(hold('o1', 4)).thenEmits({
      type: 'StockReserved',
      reservationId: 'rsv-0-2',
      idempotencyKey: 'o1',
      orderId: 'o1',
      quantity: 4,
      reservedDelta: 4,
      reservedQty: 4,
      expiresAtMs: deadlineMs,
    });
  });

  it('is held once: a repeat finds it and changes nothing', () => {
    given(receive(10), hold('o1', 4)).when(hold('o1', 4)).thenUnchanged();
  });

  it('is held anew once the order dropped it', () => {
    given(receive(10), hold('o1', 4), settle('o1', held, 'release'))
      .when(hold('o1', 2))
      .thenEmits({ type: 'StockReserved', reservationId: 'rsv-0-4', quantity: 2 });
  });

  it.each<[string, Command[], Command, RejectionCode]>([
    ['no item', [], hold('o1', 1), 'ITEM_NOT_FOUND'],
    ['too little stock', [receive(3)], hold('o1', 4), 'INSUFFICIENT_STOCK'],
    [
      'an inactive item',
      [receive(10), { type: 'SetItemStatus', ...item, status: 'INACTIVE' }],
      hold('o1', 1),
      'ITEM_INACTIVE',
    ],
    [
      "a client's own hold under the order's id",
      [receive(10), reserve('o1', 1)],
      hold('o1', 1),
      'IDEMPOTENCY_KEY_REUSED',
    ],
  ])('is refused with %s', (_name, setup, command, code) => {
    given(...setup)
      .when(command)
      .thenRejects(code);
  });

  it('changes quantity absolutely: the same quantity again is a no-op', () => {
    given(receive(10), hold('o1', 4))
      .when(setQuantity('o1', held, 7))
      .thenEmits({ type: 'ReservationAdjusted', delta: 3, quantity: 7, reservedQty: 7 });
    given(receive(10), hold('o1', 4))
      .when(setQuantity('o1', held, 4))
      .thenUnchanged();
    given(receive(10), hold('o1', 4))
      .when(setQuantity('o1', held, 11))
      .thenRejects('INSUFFICIENT_STOCK');
  });

  it('confirms in full, or partly: the hold shrinks to the units shipped, then confirms', () => {
    given(receive(10), hold('o1', 4))
      .when(settle('o1', held, 'confirm', 4))
      .thenEmits({ type: 'ReservationConfirmed', totalQty: 6, reservedQty: 0 });
    given(receive(10), hold('o1', 4))
      .when(settle('o1', held, 'confirm', 1))
      .thenEmits(
        { type: 'ReservationAdjusted', delta: -3, quantity: 1, reservedQty: 1, totalQty: 10 },
        { type: 'ReservationConfirmed', quantity: 1, totalQty: 9, reservedQty: 0 },
      );
    given(receive(10), hold('o1', 4))
      .when(settle('o1', held, 'confirm', 0))
      .thenEmits({ type: 'ReservationReleased', reservedQty: 0, totalQty: 10 });
    given(receive(10), hold('o1', 4))
      .when(settle('o1', held, 'confirm', 5))
      .thenRejects('CONFIRM_EXCEEDS_HELD');
  });

  it('settles once: repeating a settlement after a crash changes nothing', () => {
    given(receive(10), hold('o1', 4), settle('o1', held, 'confirm', 4))
      .when(settle('o1', held, 'confirm', 4))
      .thenUnchanged();
    given(receive(10), hold('o1', 4), settle('o1', held, 'release'))
      .when(settle('o1', held, 'release'))
      .thenUnchanged();
    given(receive(10), hold('o1', 4), settle('o1', held, 'expire'))
      .when(settle('o1', held, 'expire'))
      .thenUnchanged();
    given(receive(10), hold('o1', 4), settle('o1', held, 'release'))
      .when(settle('o1', held, 'confirm', 4))
      .thenRejects('RESERVATION_RELEASED');
  });

  it("expires when its order does, whatever the hold's own deadline", () => {
    given(receive(10), hold('o1', 4))
      .when(settle('o1', held, 'expire'), 1)
      .thenEmits({ type: 'ReservationExpired', reservedQty: 0 });
  });

  it('is moved only by its order', () => {
    for (const command of [
      { type: 'Release', reservationId: held },
      { type: 'Confirm', reservationId: held },
      { type: 'ChangeReservation', reservationId: held, quantity: 1 },
    ] as Command[]) {
      given(receive(10), hold('o1', 4)).when(command).thenRejects('RESERVATION_OF_ORDER');
    }
    given(receive(10), hold('o1', 4))
      .when(settle('o2', held, 'release'))
      .thenRejects('RESERVATION_NOT_FOUND');
    // The worker's own expiry timer leaves it to the order.
    given(receive(10), hold('o1', 4))
      .when({ type: 'Expire', reservationId: held }, deadlineMs + 1)
      .thenUnchanged();
    // A client's reserve under the order's id finds the order's hold: not its own.
    given(receive(10), hold('o1', 4)).when(reserve('o1', 4)).thenRejects('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps every invariant through a line lifecycle', () => {
    const { subject } = given(
      receive(10),
      hold('o1', 4),
      setQuantity('o1', held, 6),
      settle('o1', held, 'confirm', 5),
    );
    expect(subject.item).toMatchObject({ totalQty: 5, reservedQty: 0 });
    expect(subject.reservation(held)).toMatchObject({
      status: 'CONFIRMED',
      quantity: 5,
      orderId: 'o1',
      version: 4,
    });
  });
});
