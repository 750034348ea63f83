import { expect } from 'vitest';
import { execute } from '../../src/actors/execute.ts';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import { prefetch } from '../../src/actors/prefetch.ts';
import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import type { Command } from '../../src/domain/commands.ts';
import { decide } from '../../src/domain/decide.ts';
import type { Decision } from '../../src/domain/decision.ts';
import type { ItemEvent } from '../../src/domain/events.ts';
import type { ItemState } from '../../src/domain/item.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import type { RejectionCode } from '../../src/domain/rejections.ts';
import type { Reservation } from '../../src/domain/reservation.ts';

export const item = { sku: 'SKU-1', warehouseId: 'WH-1' } as const;

/**
 * One item in partition 0 of a real partition actor, for specifications:
 *   given(commands).when(command).then(events | rejection | unchanged)
 * What a decision gets to see is looked up as every worker looks it up (actors/prefetch.ts: the
 * item's row, a reservation by id or by idempotency key); the decision itself is the domain's
 * pure `decide`; and state moves only through the worker's own path (actors/execute.ts).
 *
 * A reservation's id names the partition and the seq of the event that created it: after
 * `given(receive(10), reserve('o1', 4))` the hold is `rsv-0-2`.
 */
export class ItemUnderSpec {
  readonly actor = new PartitionActor(0);
  /** Every event applied so far, as the worker would have logged it. */
  readonly log: LoggedEvent[] = [];

  get item(): ItemState | undefined {
    const index = this.actor.items.indexOf(itemKeyOf(item.sku, item.warehouseId));
    return index === undefined ? undefined : this.actor.items.read(index);
  }

  get reservations(): Reservation[] {
    return [...this.actor.reservations()];
  }

  reservation(reservationId: string): Reservation | undefined {
    return this.actor.reservation(reservationId);
  }

  /** The pure decision on what the actor's lookup finds; changes nothing. */
  decide(command: Command, nowMs: number): Decision {
    return decide(command, prefetch(this.actor, command, nowMs));
  }

  /** Decides, then runs the command through the worker's path; returns the decision. */
  execute(command: Command, nowMs: number): Decision {
    const decision = this.decide(command, nowMs);
    const logged: LoggedEvent[] = [];
    // One item's commands: only item events.
    execute(this.actor, command, nowMs, (event) => logged.push(event as LoggedEvent));
    const decided = decision.outcome === 'applied' ? decision.events : [];
    // The worker must log exactly what the pure decision said (plus each event's envelope).
    if (logged.length !== decided.length || !decided.every((e, i) => carries(logged[i]!, e))) {
      expect(logged).toMatchObject([...decided]);
    }
    this.log.push(...logged);
    return decision;
  }
}

function carries(logged: LoggedEvent, event: ItemEvent): boolean {
  return Object.entries(event).every(
    ([field, value]) => (logged as unknown as Record<string, unknown>)[field] === value,
  );
}

export function given(...commands: Command[]) {
  const subject = new ItemUnderSpec();
  let nowMs = 1_000_000;
  for (const command of commands) {
    const decision = subject.execute(command, nowMs++);
    expect(decision.outcome, `setup ${command.type}`).toBe('applied');
  }
  return {
    subject,
    when(command: Command, at = nowMs) {
      const decision = subject.decide(command, at);
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

export const receive = (quantity: number): Command => ({ type: 'ReceiveStock', ...item, quantity });

export const reserve = (idempotencyKey: string, quantity: number, ttlSeconds = 60): Command => ({
  type: 'Reserve',
  ...item,
  idempotencyKey,
  quantity,
  ttlSeconds,
});
