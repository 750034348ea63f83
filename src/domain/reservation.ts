/** A hold on stock of one item (the seed's Reserve/Hold pattern). */
export type ReservationStatus = 'HELD' | 'CONFIRMED' | 'RELEASED' | 'EXPIRED';

/** The reservation lifecycle: only a HELD reservation moves, and only to a final state. */
export const reservationTransitions: Readonly<
  Record<ReservationStatus, readonly ReservationStatus[]>
> = {
  HELD: ['CONFIRMED', 'RELEASED', 'EXPIRED'],
  CONFIRMED: [],
  RELEASED: [],
  EXPIRED: [],
};

/** One entry of a reservation's quantity history: the seed's OrderQuantityAdjusted. */
export interface QuantityChange {
  readonly version: number;
  readonly delta: number;
  readonly quantity: number;
  readonly atMs: number;
}

export interface Reservation {
  readonly reservationId: string;
  readonly itemKey: string;
  readonly idempotencyKey: string;
  /** A line of this order (the idempotency key is then the orderId): only the order moves it. */
  readonly orderId?: string;
  readonly quantity: number;
  /** The quantity of the original request; idempotent repeats are compared against it. */
  readonly requestedQuantity: number;
  readonly ttlSeconds: number;
  readonly status: ReservationStatus;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly updatedAtMs: number;
  /** 1 at creation, +1 for every event of this reservation. */
  readonly version: number;
  /** Quantity changes after creation, oldest first (creation itself is version 1). */
  readonly adjustments: readonly QuantityChange[];
}

export const noAdjustments: readonly QuantityChange[] = Object.freeze([]);

/** The full quantity timeline: creation as version 1, then every adjustment. */
export function quantityHistory(reservation: Reservation): QuantityChange[] {
  const creation: QuantityChange = {
    version: 1,
    delta: reservation.requestedQuantity,
    quantity: reservation.requestedQuantity,
    atMs: reservation.createdAtMs,
  };
  return [creation, ...reservation.adjustments];
}
