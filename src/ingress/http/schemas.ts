import { limits } from '../../domain/limits.ts';
import { patterns } from '../../domain/validate-command.ts';

/**
 * JSON Schemas of the HTTP contract, built from the domain's own patterns and limits so that HTTP
 * and the Kafka command topic accept exactly the same values. They validate requests, serialize
 * responses and generate the OpenAPI document.
 */
const identifier = (lengthMax: number) =>
  ({ type: 'string', minLength: 1, maxLength: lengthMax, pattern: patterns.identifier }) as const;

export const sku = identifier(limits.skuLengthMax);
export const warehouseId = identifier(limits.warehouseIdLengthMax);
export const idempotencyKey = {
  type: 'string',
  minLength: 1,
  maxLength: limits.idempotencyKeyLengthMax,
  pattern: patterns.token,
} as const;
export const reservationId = {
  type: 'string',
  pattern: patterns.reservationId,
  description: 'rsv-<partition>-<seq>',
} as const;
export const quantity = {
  type: 'integer',
  minimum: 1,
  maximum: limits.commandQuantityMax,
} as const;
export const reason = {
  type: 'string',
  minLength: 1,
  maxLength: limits.reasonLengthMax,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
} as const;
export const ttlSeconds = { type: 'integer', minimum: 1, maximum: limits.ttlSecondsMax } as const;
export const itemStatus = { type: 'string', enum: ['ACTIVE', 'INACTIVE'] } as const;
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
    history: { type: 'array', items: quantityChange },
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
  },
} as const;

/** The error responses a route documents, keyed by status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse]));
}
