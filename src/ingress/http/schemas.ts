import { eventTypes } from '../../domain/events.ts';
import { itemStatus } from '../../requests/fields.ts';

/**
 * JSON Schemas of HTTP's answers (levels, reservations, history, errors). What requests carry is
 * in src/requests/ — the bodies HTTP and the Kafka command topic share; its fields are
 * re-exported here for the query strings and paths of the routes.
 */
export {
  idempotencyKey,
  itemStatus,
  quantity,
  reason,
  reservationId,
  sku,
  ttlSeconds,
  warehouseId,
} from '../../requests/fields.ts';

export const reservationStatus = {
  type: 'string',
  enum: ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'],
} as const;
/** ISO-8601 instant, e.g. 2026-11-22T10:00:00Z. */
export const instant = { type: 'string', format: 'date-time' } as const;

export const levels = {
  type: 'object',
  required: [
    'warehouseId',
    'totalQty',
    'reservedQty',
    'availableQty',
    'status',
    'version',
    'updatedAt',
  ],
  properties: {
    warehouseId: { type: 'string' },
    totalQty: { type: 'integer' },
    reservedQty: { type: 'integer' },
    availableQty: { type: 'integer' },
    status: itemStatus,
    version: { type: 'integer' },
    updatedAt: instant,
  },
} as const;

export const itemLevels = {
  type: 'object',
  required: ['sku', ...levels.required],
  properties: { sku: { type: 'string' }, ...levels.properties },
} as const;

export const quantityChange = {
  type: 'object',
  required: ['version', 'delta', 'quantity', 'at'],
  properties: {
    version: { type: 'integer' },
    delta: { type: 'integer' },
    quantity: { type: 'integer' },
    at: instant,
  },
} as const;

export const reservation = {
  type: 'object',
  required: [
    'reservationId',
    'sku',
    'warehouseId',
    'idempotencyKey',
    'quantity',
    'status',
    'ttlSeconds',
    'createdAt',
    'expiresAt',
    'updatedAt',
    'version',
  ],
  properties: {
    reservationId: { type: 'string' },
    sku: { type: 'string' },
    warehouseId: { type: 'string' },
    idempotencyKey: { type: 'string' },
    quantity: { type: 'integer' },
    status: reservationStatus,
    ttlSeconds: { type: 'integer' },
    createdAt: instant,
    expiresAt: instant,
    updatedAt: instant,
    version: { type: 'integer' },
    orderId: {
      type: 'string',
      description: "a line of this order: the order's requests move it, not the hold's own",
    },
    history: { type: 'array', items: quantityChange },
  },
} as const;

/**
 * One event of an item's history: the event as it is published (docs/architecture.md,
 * "Events"), with its times as ISO-8601 instants (`timestamp`, `expiresAt`) instead of epoch
 * milliseconds. Fields marked "where relevant" are present only on the event types named.
 */
export const historyEvent = {
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'eventId',
    'partition',
    'seq',
    'type',
    'sku',
    'warehouseId',
    'timestamp',
    'totalDelta',
    'reservedDelta',
    'totalQty',
    'reservedQty',
    'availableQty',
    'status',
    'itemVersion',
    'itemPreviousSeq',
  ],
  properties: {
    schemaVersion: { type: 'integer', description: 'version of the event schema' },
    eventId: { type: 'string', description: '<storeId>-<partition>-<seq>, the same downstream' },
    partition: { type: 'integer' },
    seq: { type: 'integer', description: 'dense, from 1, per partition' },
    type: { type: 'string', enum: eventTypes },
    sku: { type: 'string' },
    warehouseId: { type: 'string' },
    timestamp: instant,
    totalDelta: { type: 'integer', description: 'change of the total stock' },
    reservedDelta: { type: 'integer', description: 'change of the reserved stock' },
    totalQty: { type: 'integer', description: 'after the event' },
    reservedQty: { type: 'integer', description: 'after the event' },
    availableQty: { type: 'integer', description: 'after the event' },
    status: itemStatus,
    itemVersion: { type: 'integer', description: "the item's version after the event" },
    itemPreviousSeq: {
      type: 'integer',
      description: "seq of the item's previous event in the partition; 0 for its first",
    },
    reservationId: { type: 'string', description: 'reservation events' },
    idempotencyKey: { type: 'string', description: 'StockReserved' },
    quantity: {
      type: 'integer',
      description: "reservation events: the reservation's quantity after it; StockReceived: units",
    },
    delta: {
      type: 'integer',
      description:
        "ReservationAdjusted: change of the reservation's quantity; StockAdjusted: of the total (events logged before it was recorded lack it)",
    },
    setTotal: {
      type: 'integer',
      description:
        "StockAdjusted by a stock count: the total counted (the item's totalQty after it)",
    },
    reservationVersion: { type: 'integer', description: 'reservation events' },
    ttlSeconds: { type: 'integer', description: 'StockReserved' },
    expiresAt: { ...instant, description: 'StockReserved' },
    reason: { type: 'string', description: 'StockReceived (when given), StockAdjusted' },
    commandId: { type: 'string', description: 'events of commands that carried one' },
    actor: {
      type: 'string',
      description: "who issued the command: the API key's name, or a Kafka command's actor",
    },
  },
} as const;

export const errorResponse = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
    retriable: { type: 'boolean' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    lines: {
      type: 'array',
      description: 'ORDER_FAILED, ORDER_CHANGE_FAILED: every line concerned, with its own code',
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string' },
          warehouseId: { type: 'string' },
          quantity: { type: 'integer' },
          code: { type: 'string' },
        },
      },
    },
  },
} as const;

/** The error responses a route documents, keyed by status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse]));
}

/**
 * A bulk request's answer: `{items: […]}`, per entry in order either `ok` with the entry's own
 * body (`entry`'s properties) or `ok: false` with the error code it would have got alone.
 */
export function bulkResponse<P extends object>(entry: { readonly properties: P }) {
  return {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['ok'],
          properties: {
            ok: { type: 'boolean' },
            ...entry.properties,
            code: { type: 'string', description: 'when not ok: the error code, as alone' },
            message: { type: 'string' },
            retriable: { type: 'boolean' },
          },
        },
      },
    },
  } as const;
}

/** A bulk reserve's entry: the reservation, and whether this request made it. */
export const bulkReservation = {
  properties: {
    created: { type: 'boolean', description: 'false: an idempotent repeat of an earlier hold' },
    ...reservation.properties,
  },
} as const;
