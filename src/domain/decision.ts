import type { ItemEvent } from './events.ts';
import type { ItemState } from './item.ts';
import type { RejectionCode } from './rejections.ts';
import type { Reservation } from './reservation.ts';

/**
 * Everything a decision may look at, prefetched by the actor: the item, the reservation the
 * command refers to (by id, or by idempotency key for Reserve), the time, and the id a new
 * reservation would get. Nothing else: deciders have no clock, no randomness, no I/O.
 */
export interface DecisionContext {
  readonly nowMs: number;
  readonly item: ItemState | undefined;
  readonly reservation: Reservation | undefined;
  readonly newReservationId: string;
}

export type Decision =
  | { readonly outcome: 'applied'; readonly events: readonly ItemEvent[] }
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'rejected'; readonly code: RejectionCode };

export const unchanged: Decision = Object.freeze({ outcome: 'unchanged' });

export function rejected(code: RejectionCode): Decision {
  return { outcome: 'rejected', code };
}

export function applied(event: ItemEvent, ...more: ItemEvent[]): Decision {
  return { outcome: 'applied', events: [event, ...more] };
}
