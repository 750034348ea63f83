import { DeadlineHeap } from '../domain/deadline-heap.ts';

/** A reservation's deadline in its worker's expiry queue. */
export interface Deadline {
  readonly dueAtMs: number;
  readonly partition: number;
  readonly reservationId: string;
}

/**
 * Reservation deadlines of one worker, on expiresAtMs: a hold released or confirmed before its
 * deadline is skipped when it comes due (the Expire decision is a no-op for anything not HELD).
 */
export class ExpiryQueue extends DeadlineHeap<Deadline> {}
