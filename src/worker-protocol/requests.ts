import type { Command } from '../domain/commands.ts';
import { type OrderCommand, orderCommandTypes } from '../domain/order-commands.ts';

/** Reads travel through the same per-worker queues as commands, so they see a consistent order. */
export interface GetItem {
  readonly type: 'GetItem';
  readonly sku: string;
  readonly warehouseId: string;
}

export interface GetReservation {
  readonly type: 'GetReservation';
  readonly reservationId: string;
}

/** An order with its whole timeline. */
export interface GetOrder {
  readonly type: 'GetOrder';
  readonly orderId: string;
}

/**
 * Start-up of the order coordinator: one partition's orders with unfinished work, and the
 * deadlines of its HELD orders (the coordinator expires orders as a whole).
 */
export interface ListOrderWork {
  readonly type: 'ListOrderWork';
  readonly partition: number;
}

export type Query = GetItem | GetReservation;
export type OrderQuery = GetOrder | ListOrderWork;
/** Everything addressed to an order's own partition. */
export type OrderRequest = OrderCommand | OrderQuery;
export type EngineRequest = Command | Query | OrderRequest;

const orderRequestTypes: ReadonlySet<string> = new Set<OrderRequest['type']>([
  ...orderCommandTypes,
  'GetOrder',
  'ListOrderWork',
]);

export function isOrderRequest(request: EngineRequest): request is OrderRequest {
  return orderRequestTypes.has(request.type);
}

const readRequestTypes: ReadonlySet<string> = new Set<EngineRequest['type']>([
  'GetItem',
  'GetReservation',
  'GetOrder',
  'ListOrderWork',
]);

/** Reads write nothing: they are served while writes are refused for lack of space. */
export function isReadRequest(request: EngineRequest): boolean {
  return readRequestTypes.has(request.type);
}
