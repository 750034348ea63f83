import { expect } from 'vitest';
import { decideOrder, type OrderDecision } from '../../src/domain/decide-order.ts';
import { evolveOrder } from '../../src/domain/evolve-order.ts';
import type { LineRequest, Order } from '../../src/domain/order.ts';
import type { OrderCommand } from '../../src/domain/order-commands.ts';
import type { OrderEvent } from '../../src/domain/order-events.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';

export const orderStartMs = 1_000_000;

/**
 * One order, for specifications: given(commands).when(command).then(events | rejection |
 * unchanged). Each given command must apply; its events move the order through evolveOrder,
 * as the order's partition does on the live path and in replay. Commands are 1 ms apart.
 */
export function givenOrder(...commands: OrderCommand[]) {
  let order: Order | undefined;
  let nowMs = orderStartMs;
  for (const command of commands) {
    const decision = decideOrder(command, { order, nowMs: nowMs++ });
    expect(decision.outcome, `setup ${command.type}`).toBe('applied');
    if (decision.outcome === 'applied')
      for (const event of decision.events) order = evolveOrder(order, event);
  }
  return {
    order,
    when(command: OrderCommand, at = nowMs) {
      const decision: OrderDecision = decideOrder(command, { order, nowMs: at });
      return {
        decision,
        /** The order after the decision's events. */
        get after(): Order | undefined {
          if (decision.outcome !== 'applied') return order;
          return decision.events.reduce<Order | undefined>(evolveOrder, order);
        },
        thenRejects(code: RejectionCode) {
          expect(decision).toEqual({ outcome: 'rejected', code });
        },
        thenUnchanged() {
          expect(decision).toEqual({ outcome: 'unchanged' });
        },
        thenEmits(...expected: Partial<OrderEvent>[]) {
          expect(decision.outcome).toBe('applied');
          const events = decision.outcome === 'applied' ? decision.events : [];
          expect(events).toHaveLength(expected.length);
          for (const [i, partial] of expected.entries()) expect(events[i]).toMatchObject(partial);
        },
      };
    },
  };
}

export const lineA: LineRequest = { sku: 'A', warehouseId: 'W1', quantity: 2 };
export const lineB: LineRequest = { sku: 'B', warehouseId: 'W2', quantity: 3 };

export const open = (lines: LineRequest[] = [lineA, lineB], ttlSeconds = 60): OrderCommand => ({
  type: 'OpenOrder',
  orderId: 'o1',
  customerId: 'c1',
  lines,
  ttlSeconds,
});

export const heldWith = (...ids: [string, string, string][]): OrderCommand => ({
  type: 'MarkOrderHeld',
  orderId: 'o1',
  reservations: ids.map(([sku, warehouseId, reservationId]) => ({
    sku,
    warehouseId,
    reservationId,
  })),
});

/** Both default lines held: A as rsv-1-1, B as rsv-2-1. */
export const held = heldWith(['A', 'W1', 'rsv-1-1'], ['B', 'W2', 'rsv-2-1']);
