import type { ItemStatus } from '../domain/item.ts';
import type { Order } from '../domain/order.ts';
import type { RejectionCode } from '../domain/rejections.ts';
import type { QuantityChange, ReservationStatus } from '../domain/reservation.ts';
import type { ValidationIssue } from '../domain/validate-command.ts';
import type { ErrorCode } from '../errors.ts';

export interface ItemLevels {
  readonly sku: string;
  readonly warehouseId: string;
  readonly totalQty: number;
  readonly reservedQty: number;
  readonly availableQty: number;
  readonly status: ItemStatus;
  readonly version: number;
  readonly updatedAtMs: number;
  /** Sequence number of the item's newest event in its partition (0: none). */
  readonly lastEventSeq: number;
}

export interface ReservationView {
  readonly reservationId: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly idempotencyKey: string;
  readonly quantity: number;
  readonly status: ReservationStatus;
  readonly ttlSeconds: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly updatedAtMs: number;
  readonly version: number;
  /** A line of this order: only the order moves the hold (PATCH, confirm, cancel the order). */
  readonly orderId?: string;
  /** Present on GetReservation and ChangeReservation: creation, then every quantity change. */
  readonly history?: readonly QuantityChange[];
}

/**
 * An order as its partition holds it. Answers carry its timeline only when asked for it
 * (GetOrder): a saga step needs the lines and the status, not the history.
 */
export type OrderView = Order;

/** ListOrderWork's answer: what the coordinator must finish, and when HELD orders expire. */
export interface OrderWork {
  readonly unfinished: readonly OrderView[];
  /** [orderId, expiresAtMs] of every HELD order. */
  readonly deadlines: readonly (readonly [string, number])[];
}

/** One line of an order that could not be held, and why (ORDER_FAILED, ORDER_CHANGE_FAILED). */
export interface LineOutcome {
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly code: RejectionCode;
}

/**
 * The answer to one request. `applied` says whether it changed state (false: an idempotent
 * repeat, a no-op, or a read). Refusals carry a stable code from the error catalog.
 */
export type EngineResult =
  | {
      readonly ok: true;
      readonly applied: boolean;
      /** The command's commandId was already applied: this is its redelivery, with no effect. */
      readonly duplicate?: true;
      readonly item?: ItemLevels;
      readonly reservation?: ReservationView;
      readonly order?: OrderView;
      readonly orderWork?: OrderWork;
    }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message?: string;
      /** For VALIDATION: which fields are wrong and why. */
      readonly issues?: readonly ValidationIssue[];
      /** For ORDER_FAILED and ORDER_CHANGE_FAILED: each line with its own code. */
      readonly lines?: readonly LineOutcome[];
    };
