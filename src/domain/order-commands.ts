import type { LineRequest } from './order.ts';
import type { RejectionCode } from './rejections.ts';

/**
 * Commands of an order's own partition, issued by its coordinator as it drives the saga. Each
 * records one step, so that after a crash the partition knows exactly what is half done:
 *
 *   OpenOrder ─► (hold lines) ─► MarkOrderHeld | (release held) ─► MarkOrderFailed
 *   BeginOrderChange ─► (increase, add) ─► (decrease, drop) ─► CompleteOrderChange
 *                            └─ (undo) ─► RejectOrderChange
 *   SettleOrder ─► (confirm, release or expire every line) ─► MarkOrderSettled
 */
interface OrderCommandBase {
  readonly orderId: string;
  /** Who asked for the step (commands.ts): carried into the order's events. */
  readonly actor?: string | undefined;
}

export interface LineReservation {
  readonly sku: string;
  readonly warehouseId: string;
  readonly reservationId: string;
}

export interface LineFailure {
  readonly sku: string;
  readonly warehouseId: string;
  readonly code: RejectionCode;
}

/** Records a new order as PENDING; the same order again is an idempotent repeat. */
export interface OpenOrder extends OrderCommandBase {
  readonly type: 'OpenOrder';
  readonly customerId?: string | undefined;
  readonly lines: readonly LineRequest[];
  readonly ttlSeconds: number;
}

export interface MarkOrderHeld extends OrderCommandBase {
  readonly type: 'MarkOrderHeld';
  /** Every line's hold. */
  readonly reservations: readonly LineReservation[];
}

export interface MarkOrderFailed extends OrderCommandBase {
  readonly type: 'MarkOrderFailed';
  /** The lines that failed, with their own codes; the others fail with LINKED_LINE_FAILED. */
  readonly failures: readonly LineFailure[];
}

/** New quantities of the named lines: 0 drops a line, an unknown line is added. */
export interface BeginOrderChange extends OrderCommandBase {
  readonly type: 'BeginOrderChange';
  readonly lines: readonly LineRequest[];
  /** The configured most lines an order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
}

export interface CompleteOrderChange extends OrderCommandBase {
  readonly type: 'CompleteOrderChange';
  /** The holds of the lines the change added. */
  readonly reservations: readonly LineReservation[];
}

export interface RejectOrderChange extends OrderCommandBase {
  readonly type: 'RejectOrderChange';
  readonly failures: readonly LineFailure[];
}

export type SettleOutcome = 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';

/**
 * Decides how a HELD order ends. CONFIRMED may name lines to confirm fewer units of (0: none);
 * lines not named are confirmed in full. EXPIRED applies only once the order is due.
 */
export interface SettleOrder extends OrderCommandBase {
  readonly type: 'SettleOrder';
  readonly outcome: SettleOutcome;
  readonly lines?: readonly LineRequest[] | undefined;
}

export interface MarkOrderSettled extends OrderCommandBase {
  readonly type: 'MarkOrderSettled';
}

export type OrderCommand =
  | OpenOrder
  | MarkOrderHeld
  | MarkOrderFailed
  | BeginOrderChange
  | CompleteOrderChange
  | RejectOrderChange
  | SettleOrder
  | MarkOrderSettled;

export type OrderCommandType = OrderCommand['type'];

export const orderCommandTypes: readonly OrderCommandType[] = [
  'OpenOrder',
  'MarkOrderHeld',
  'MarkOrderFailed',
  'BeginOrderChange',
  'CompleteOrderChange',
  'RejectOrderChange',
  'SettleOrder',
  'MarkOrderSettled',
];
