import { expect } from 'vitest';
import type { Command } from '../../src/domain/commands.ts';
import { isReservationCommand } from '../../src/domain/commands.ts';
import { decide } from '../../src/domain/decide.ts';
import type { Decision } from '../../src/domain/decision.ts';
import type { ItemEvent } from '../../src/domain/events.ts';
import { evolveItem, evolveReservation } from '../../src/domain/evolve.ts';
import type { ItemState } from '../../src/domain/item.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';
import type { Reservation } from '../../src/domain/reservation.ts';

/**
 * A one-item aggregate driven only by the domain's pure functions, for specifications:
 *   given(events).when(command).then(events | rejection | unchanged)
 */
export class ItemModel {
  item: ItemState | undefined;
  readonly reservations = new Map<string, Reservation>();
  readonly itemKey: string;
  #nextReservationNumber = 1;

  constructor(itemKey = 'SKU-1|WH-1') {
    this.itemKey = itemKey;
  }

  apply(event: ItemEvent): void {
    this.item = evolveItem(this.item, event);
    if ('reservationId' in event) {
      const next = evolveReservation(
        this.reservations.get(event.reservationId),
        event,
        this.itemKey,
      );
      this.reservations.set(event.reservationId, next!);
    }
  }

  decide(command: Command, nowMs: number): Decision {
    let reservation: Reservation | undefined;
    if (isReservationCommand(command)) reservation = this.reservations.get(command.reservationId);
    if (command.type === 'Reserve') {
      reservation = [...this.reservations.values()].find(
        (r) => r.idempotencyKey === command.idempotencyKey,
      );
    }
    return decide(command, {
      nowMs,
      item: this.item,
      reservation,
      newReservationId: `rsv-0-${this.#nextReservationNumber}`,
    });
  }

  /** Decides and applies; returns the decision. */
  execute(command: Command, nowMs: number): Decision {
    const decision = this.decide(command, nowMs);
    if (decision.outcome === 'applied') {
      for (const event of decision.events) {
        this.apply(event);
        if (event.type === 'StockReserved') this.#nextReservationNumber++;
      }
    }
    return decision;
  }
}

export function given(...commands: Command[]) {
  const model = new ItemModel();
  let nowMs = 1_000_000;
  for (const command of commands) {
    const decision = model.execute(command, nowMs++);
    expect(decision.outcome, `setup ${command.type}`).toBe('applied');
  }
  return {
    model,
    when(command: Command, at = nowMs) {
      const decision = model.decide(command, at);
      return {
        decision,
        thenRejects(code: RejectionCode) {
          expect(decision).toEqual({ outcome: 'rejected', code });
        },
        thenUnchanged() {
          expect(decision).toEqual({ outcome: 'unchanged' });
        },
        thenEmits(...expected: Partial<ItemEvent>[]) {
          expect(decision.outcome).toBe('applied');
          const events = decision.outcome === 'applied' ? decision.events : [];
          expect(events).toHaveLength(expected.length);
          for (const [i, partial] of expected.entries()) expect(events[i]).toMatchObject(partial);
        },
      };
    },
  };
}

export const receive = (quantity: number): Command => ({
  type: 'ReceiveStock',
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  quantity,
});

export const reserve = (idempotencyKey: string, quantity: number, ttlSeconds = 60): Command => ({
  type: 'Reserve',
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  idempotencyKey,
  quantity,
  ttlSeconds,
});
