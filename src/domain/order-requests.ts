import type { LineRequest } from './order.ts';

/**
 * What clients ask of orders, whichever transport carries it (HTTP, the Kafka command topic).
 * The coordinator turns each into a saga of order and line commands.
 */
interface OrderRequestBase {
  readonly commandId?: string | undefined;
  /** Who asks, as for item commands (commands.ts): carried into every event of the saga. */
  readonly actor?: string | undefined;
  readonly orderId: string;
}

export interface PlaceOrderRequest extends OrderRequestBase {
  readonly type: 'PlaceOrder';
  readonly customerId?: string | undefined;
  readonly lines: readonly LineRequest[];
  /** The configured default when absent. */
  readonly ttlSeconds?: number | undefined;
}

/** New quantities of the named lines: 0 drops a line, an unknown line is added. */
export interface ChangeOrderRequest extends OrderRequestBase {
  readonly type: 'ChangeOrder';
  readonly lines: readonly LineRequest[];
}

/** Every line in full, or the named lines partly (the units shipped; the rest is released). */
export interface ConfirmOrderRequest extends OrderRequestBase {
  readonly type: 'ConfirmOrder';
  readonly lines?: readonly LineRequest[] | undefined;
}

export interface CancelOrderRequest extends OrderRequestBase {
  readonly type: 'CancelOrder';
}

export type OrderRequest =
  | PlaceOrderRequest
  | ChangeOrderRequest
  | ConfirmOrderRequest
  | CancelOrderRequest;

export type OrderRequestType = OrderRequest['type'];

export const orderRequestTypes: readonly OrderRequestType[] = [
  'PlaceOrder',
  'ChangeOrder',
  'ConfirmOrder',
  'CancelOrder',
];

export function isOrderRequest(input: { readonly type: string }): input is OrderRequest {
  return (orderRequestTypes as readonly string[]).includes(input.type);
}
