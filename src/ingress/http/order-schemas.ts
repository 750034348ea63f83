import { orderStatuses } from '../../domain/order.ts';
import { orderEventTypes } from '../../domain/order-events.ts';
import { rejectionCodes } from '../../domain/rejections.ts';
import { instant } from './schemas.ts';

/** JSON Schemas of the orders routes' answers; their request bodies are in src/requests/. */
export { customerId, lineRequest, lineRequests, orderId } from '../../requests/fields.ts';
export const orderStatus = { type: 'string', enum: orderStatuses } as const;

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
