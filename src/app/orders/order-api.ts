import type { EventLine, LineRequest } from '../../domain/order.ts';
import type { Engine } from '../../engine/engine.ts';
import type { OrderView } from '../../worker-protocol/results.ts';
import type { Outcome } from '../outcome.ts';
import type { OrderObserver } from './order-observer.ts';

/** The order use cases' contract: what every transport calls, and what runs them. */
export interface PlaceOrderInput {
  readonly orderId: string;
  readonly customerId?: string | undefined;
  readonly lines: readonly LineRequest[];
  /** How long every line is held; the configured default when absent (seconds). */
  readonly ttlSeconds?: number | undefined;
  /** Who asks (an API key's name, a Kafka producer's declared actor): carried into the events. */
  readonly actor?: string | undefined;
}

export interface PlacedOrder {
  readonly order: OrderView;
  /** False: an idempotent repeat that answers the order as it is now. */
  readonly created: boolean;
}

export interface SettledOrder {
  readonly order: OrderView;
  /** False: the order had already ended so (an idempotent repeat). */
  readonly changed: boolean;
}

export interface ChangedOrder {
  readonly order: OrderView;
  /** The lines whose quantity changed, with their deltas (none: they already had them). */
  readonly changes: readonly EventLine[];
}

/** Orders: several lines held all together or not at all, then confirmed, cancelled or expired. */
export interface Orders {
  placeOrder(input: PlaceOrderInput): Promise<Outcome<PlacedOrder>>;
  /** New quantities of the named lines (0 drops one, an unknown line is added). */
  changeOrder(input: {
    readonly orderId: string;
    readonly lines: readonly LineRequest[];
    readonly actor?: string | undefined;
  }): Promise<Outcome<ChangedOrder>>;
  /** Every line in full, or the named lines partly (the units shipped; the rest is released). */
  confirmOrder(input: {
    readonly orderId: string;
    readonly lines?: readonly LineRequest[] | undefined;
    readonly actor?: string | undefined;
  }): Promise<Outcome<SettledOrder>>;
  cancelOrder(orderId: string, actor?: string): Promise<Outcome<SettledOrder>>;
  /** The order with its whole timeline. */
  getOrder(orderId: string): Promise<Outcome<OrderView>>;
}

/** What keeps orders whole between requests: recovery at start-up, expiry, shutdown. */
export interface OrderUpkeep {
  /**
   * Finishes (or undoes) every order a previous run left half done, and learns the deadlines of
   * the HELD ones. Run before any ingress serves.
   */
  recoverOrders(): Promise<RecoveredOrders>;
  /** Expires every HELD order that is due, as a whole; returns how many expired. */
  expireDueOrders(): Promise<number>;
  /** Expires due orders on a timer (system clock only: a manual clock waits to be asked). */
  startOrderExpiry(): void;
  /** Stops the timer and waits for every saga under way. */
  stopOrders(): Promise<void>;
}

export interface RecoveredOrders {
  /** Orders whose unfinished saga was finished, by the status they ended in. */
  readonly finished: Readonly<Record<string, number>>;
  /** HELD orders whose deadlines are now watched. */
  readonly held: number;
}

/** What the coordinator needs of the engine: submitting, its time, its partition count. */
export type OrdersEngine = Pick<Engine, 'submit' | 'submitMany' | 'clock'> & {
  readonly identity: { readonly partitionCount: number };
};

export interface OrdersDependencies {
  readonly engine: OrdersEngine;
  /** Hold time of an order that names none (seconds). */
  readonly defaultTtlSeconds: number;
  /** Most lines an order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
  /** How often due orders are expired (milliseconds), and at most how many in one pass. */
  readonly expiryIntervalMs: number;
  readonly expiryBatchMax: number;
  readonly observer?: OrderObserver;
  /** The expiry timer failed in a way other than stopping (default: rethrown, uncaught). */
  readonly onError?: (error: unknown) => void;
}
