import { limits } from '../../domain/limits.ts';
import { orderStatuses } from '../../domain/order.ts';
import { orderEventTypes } from '../../domain/order-events.ts';
import { rejectionCodes } from '../../domain/rejections.ts';
import { idempotencyKey, instant, sku, warehouseId } from './schemas.ts';

/** JSON Schemas of the orders routes, from the domain's own patterns and limits. */
export const orderId = { ...idempotencyKey, description: "the order's id: its idempotency key" };
export const customerId = {
  type: 'string',
  minLength: 1,
  maxLength: limits.customerIdLengthMax,
  pattern: idempotencyKey.pattern,
} as const;
export const orderStatus = { type: 'string', enum: orderStatuses } as const;

/** A line as a client names it; `quantityMin` is 1 to place, 0 to change or confirm. */
export function lineRequest(quantityMin: 0 | 1, description: string) {
  return {
    type: 'object',
    required: ['sku', 'warehouseId', 'quantity'],
    additionalProperties: false,
    properties: {
      sku,
      warehouseId,
      quantity: {
        type: 'integer',
        minimum: quantityMin,
        maximum: limits.commandQuantityMax,
        description,
      },
    },
  } as const;
}

export function lineRequests(quantityMin: 0 | 1, linesMax: number, description: string) {
  return {
    type: 'array',
    minItems: 1,
    maxItems: linesMax,
    items: lineRequest(quantityMin, description),
  } as const;
}

const eventLine = {
  type: 'object',
  required: ['sku', 'warehouseId', 'quantity'],
  properties: {
    sku: { type: 'string' },
    warehouseId: { type: 'string' },
    quantity: { type: 'integer', description: "the line's quantity after the event" },
    delta: {
      type: 'integer',
      description: 'change of the quantity (changes, partial confirmations)',
    },
    reservationId: { type: 'string', description: "the line's hold" },
    code: { type: 'string', enum: rejectionCodes, description: 'why the line was not held' },
  },
} as const;

export const orderLine = {
  type: 'object',
  required: ['sku', 'warehouseId', 'quantity'],
  properties: {
    sku: { type: 'string' },
    warehouseId: { type: 'string' },
    quantity: {
      type: 'integer',
      description: 'units held; once confirmed, the units confirmed (the rest was released)',
    },
    reservationId: { type: 'string', description: "the line's hold on its item" },
    code: {
      type: 'string',
      enum: rejectionCodes,
      description: 'FAILED orders: why the line was not held',
    },
  },
} as const;

export const timelineEntry = {
  type: 'object',
  required: ['type', 'status', 'version', 'at', 'lines'],
  properties: {
    type: { type: 'string', enum: orderEventTypes },
    status: orderStatus,
    version: { type: 'integer', description: "the order's version after the event" },
    at: instant,
    lines: { type: 'array', items: eventLine },
    actor: {
      type: 'string',
      description: 'who asked for the step: the API key name; absent for stockd (expiry)',
    },
  },
} as const;

export const order = {
  type: 'object',
  required: [
    'orderId',
    'status',
    'version',
    'totalQuantity',
    'ttlSeconds',
    'createdAt',
    'expiresAt',
    'updatedAt',
    'lines',
  ],
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    status: orderStatus,
    version: { type: 'integer', description: '1 at placement, +1 per quantity change' },
    totalQuantity: { type: 'integer', description: 'units over every line' },
    ttlSeconds: { type: 'integer' },
    createdAt: instant,
    expiresAt: instant,
    updatedAt: instant,
    lines: { type: 'array', items: orderLine },
    timeline: {
      type: 'array',
      items: timelineEntry,
      description: 'GET: every event, oldest first',
    },
  },
} as const;

export const changedOrder = {
  ...order,
  required: [...order.required, 'changes'],
  properties: {
    ...order.properties,
    changes: {
      type: 'array',
      items: eventLine,
      description: 'the lines whose quantity this change moved, with their deltas',
    },
  },
} as const;
