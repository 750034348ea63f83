import {
  customerId,
  delta,
  idempotencyKey,
  itemStatus,
  lineRequests,
  orderId,
  quantity,
  reason,
  reservationId,
  setTotal,
  sku,
  ttlSeconds,
  warehouseId,
} from './fields.ts';

/**
 * The body of every request that changes something, as JSON Schema: what HTTP's routes take as
 * their body and what the Kafka command topic takes under `type` and `commandId`
 * (command-schemas.ts). One schema object per request, used by both transports.
 */
export interface BodySettings {
  /** Hold time when a request names none (seconds); only for the description. */
  readonly defaultTtlSeconds: number;
  /** Most lines one order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
}

export const receiptBody = {
  type: 'object',
  required: ['sku', 'warehouseId', 'quantity'],
  additionalProperties: false,
  properties: { sku, warehouseId, quantity, reason },
} as const;

export const adjustmentBody = {
  type: 'object',
  required: ['sku', 'warehouseId', 'reason'],
  additionalProperties: false,
  properties: { sku, warehouseId, delta, setTotal, reason },
  oneOf: [{ required: ['delta'] }, { required: ['setTotal'] }],
} as const;

export const statusChangeBody = {
  type: 'object',
  required: ['sku', 'warehouseId', 'status'],
  additionalProperties: false,
  properties: { sku, warehouseId, status: itemStatus },
} as const;

export function reserveBody(settings: Pick<BodySettings, 'defaultTtlSeconds'>) {
  return {
    type: 'object',
    required: ['sku', 'warehouseId', 'quantity'],
    additionalProperties: false,
    properties: {
      idempotencyKey,
      orderId: { ...idempotencyKey, description: 'accepted for idempotencyKey' },
      sku,
      warehouseId,
      quantity,
      ttlSeconds: {
        ...ttlSeconds,
        description: `hold time; default ${settings.defaultTtlSeconds}`,
      },
    },
  } as const;
}

/** Release and confirm: the id routes them. */
export const reservationIdBody = {
  type: 'object',
  required: ['reservationId'],
  additionalProperties: false,
  properties: { reservationId },
} as const;

/** A reservation's new quantity (HTTP: PATCH /reservations/:id). */
export const reservationChangeBody = {
  type: 'object',
  required: ['quantity'],
  additionalProperties: false,
  properties: { quantity },
} as const;

export function placeOrderBody(settings: BodySettings) {
  return {
    type: 'object',
    required: ['orderId', 'lines'],
    additionalProperties: false,
    properties: {
      orderId,
      customerId,
      lines: lineRequests(1, settings.linesMax, 'units to hold'),
      ttlSeconds: {
        ...ttlSeconds,
        description: `how long every line is held; default ${settings.defaultTtlSeconds}`,
      },
    },
  } as const;
}

/** New quantities (HTTP: PATCH /orders/:id). */
export function orderChangeBody(settings: Pick<BodySettings, 'linesMax'>) {
  return {
    type: 'object',
    required: ['lines'],
    additionalProperties: false,
    properties: {
      lines: lineRequests(0, settings.linesMax, 'the new quantity; 0 drops the line'),
    },
  } as const;
}

/** Every line in full, or the named lines partly (HTTP: POST /orders/:id/confirm). */
export function orderConfirmationBody(settings: Pick<BodySettings, 'linesMax'>) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      lines: lineRequests(0, settings.linesMax, 'units shipped, at most the units held'),
    },
  } as const;
}

/** HTTP: POST /orders/:id/cancel takes no body; over Kafka only the orderId and the envelope. */
export const orderCancellationBody = {
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;

/** The path parameter of /reservations/:id, a field of its own over Kafka. */
export const reservationIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: reservationId },
} as const;

/** The path parameter of /orders/:id, a field of its own over Kafka. */
export const orderIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: orderId },
} as const;
