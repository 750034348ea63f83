import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../src/domain/assert.ts';
import { evolveItem } from '../../src/domain/evolve.ts';
import { quantityHistory } from '../../src/domain/reservation.ts';
import { given, receive, reserve } from '../support/decider-spec.ts';

/** The hold made by `given(receive(…), reserve(…))`: its StockReserved is the second event. */
const id = 'rsv-0-2';

describe('evolve', () => {
  it('settling keeps the reservation quantity and moves its status and version', () => {
    for (const [type, status] of [
      ['Confirm', 'CONFIRMED'],
      ['Release', 'RELEASED'],
    ] as const) {
      const { subject } = given(receive(10), reserve('o1', 4));
      subject.execute({ type, reservationId: id }, 2_000_000);
      expect(subject.reservation(id)).toMatchObject({
        quantity: 4,
        status,
        version: 2,
        updatedAtMs: 2_000_000,
      });
    }
  });

  it('quantity changes build the reservation timeline: creation, then deltas with versions', () => {
    const second = given(receive(200), reserve('X', 100)).subject;
    second.execute({ type: 'ChangeReservation', reservationId: id, quantity: 120 }, 2_000_000);
    second.execute({ type: 'ChangeReservation', reservationId: id, quantity: 115 }, 3_000_000);
    expect(quantityHistory(second.reservation(id)!)).toEqual([
      { version: 1, delta: 100, quantity: 100, atMs: 1_000_001 },
      { version: 2, delta: 20, quantity: 120, atMs: 2_000_000 },
      { version: 3, delta: -5, quantity: 115, atMs: 3_000_000 },
    ]);
  });

  it('refuses an event that does not follow the state it is applied to', () => {
    const { subject } = given(receive(10));
    const stale = subject.decide(receive(1), 5);
    subject.execute(receive(1), 6);
    if (stale.outcome !== 'applied') throw new Error('expected an event');
    expect(() => evolveItem(subject.item, stale.events[0]!)).toThrow(AssertionError);
  });
});
