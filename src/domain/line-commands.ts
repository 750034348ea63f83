/**
 * What an order's coordinator asks of its lines' items: holds owned by the order. They are
 * reservations like any other (same events, same invariants), but only their order moves them,
 * so each step is absolute and can be repeated after a crash without a second effect: a line is
 * held or not, has a quantity, is settled or not.
 */
interface LineCommandBase {
  readonly commandId?: string | undefined;
  /** Who issued the order step (commands.ts): carried into the line's events. */
  readonly actor?: string | undefined;
  readonly orderId: string;
}

/**
 * Holds one line. The hold's idempotency key is the orderId, scoped to the item like every key:
 * a repeat finds the order's HELD hold and changes nothing; a hold the order settled before (a
 * dropped line added again) does not count.
 */
export interface HoldLine extends LineCommandBase {
  readonly type: 'HoldLine';
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly ttlSeconds: number;
  /** The order's deadline: every line of an order expires with it. */
  readonly expiresAtMs: number;
}

/** Sets a held line's quantity (an order change, or undoing one). */
export interface SetLineQuantity extends LineCommandBase {
  readonly type: 'SetLineQuantity';
  readonly reservationId: string;
  readonly quantity: number;
}

export type SettleAction = 'confirm' | 'release' | 'expire';

/**
 * Ends a line's hold as its order ended: confirm `quantity` units (fewer than held releases the
 * rest; 0 releases all), release, or expire.
 */
export interface SettleLine extends LineCommandBase {
  readonly type: 'SettleLine';
  readonly reservationId: string;
  readonly action: SettleAction;
  readonly quantity: number;
}
