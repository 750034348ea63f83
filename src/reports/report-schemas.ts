import {
  errors,
  instant,
  itemLevels,
  reservationId,
  reservationStatus,
  sku,
  warehouseId,
} from '../ingress/http/schemas.ts';
import { reportLimits } from './report-params.ts';

/**
 * JSON Schemas of the report routes: they validate the query strings (which arrive as text:
 * the app does not coerce types) and serialize the answers, and they make the OpenAPI document.
 */
export const tags = ['reports'];

const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] });

export const levelsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sku,
    'warehouse-id': warehouseId,
    asOf: { type: 'string', description: 'ISO-8601 instant (a bare date: its start, UTC)' },
    limit: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,3}$',
      description: `items per page, at most ${reportLimits.levelsPageMax} (default ${reportLimits.levelsPageDefault})`,
    },
    after: {
      ...sku,
      description: 'the page after this key: nextAfter of the previous page',
    },
  },
} as const;

/** The HTTP levels of an item, plus the id of the event they were taken from. */
const reportLevels = {
  ...itemLevels,
  required: [...itemLevels.required, 'lastEventId'],
  properties: { ...itemLevels.properties, lastEventId: { type: 'string' } },
} as const;

export const levelsResponse = {
  200: {
    type: 'object',
    required: ['levels'],
    properties: {
      asOf: instant,
      levels: { type: 'array', items: reportLevels },
      nextAfter: { type: 'string', description: 'more items follow: pass as `after`' },
    },
  },
  ...errors(400, 503),
} as const;

export const timelineParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: reservationId },
} as const;

const timelineEntry = {
  type: 'object',
  required: [
    'version',
    'type',
    'at',
    'status',
    'quantity',
    'delta',
    'reservedDelta',
    'totalDelta',
    'eventId',
    'seq',
  ],
  properties: {
    version: { type: 'integer' },
    type: { type: 'string' },
    at: instant,
    status: reservationStatus,
    quantity: { type: 'integer', description: 'the reservation quantity after the event' },
    delta: nullable({
      type: 'integer',
      description: 'change of the reservation quantity (creation: the quantity)',
    }),
    reservedDelta: { type: 'integer' },
    totalDelta: { type: 'integer' },
    eventId: { type: 'string' },
    seq: { type: 'integer' },
    actor: nullable({
      type: 'string',
      description: "who issued the event's command (an API key's name); null when unknown",
    }),
  },
} as const;

export const timelineResponse = {
  200: {
    type: 'object',
    required: ['reservation', 'timeline'],
    properties: {
      reservation: {
        type: 'object',
        required: [
          'reservationId',
          'sku',
          'warehouseId',
          'status',
          'quantity',
          'version',
          'totalAdjustments',
          'lastEventId',
          'updatedAt',
        ],
        properties: {
          reservationId: { type: 'string' },
          sku: { type: 'string' },
          warehouseId: { type: 'string' },
          idempotencyKey: nullable({ type: 'string' }),
          status: reservationStatus,
          quantity: { type: 'integer' },
          version: { type: 'integer' },
          ttlSeconds: nullable({ type: 'integer' }),
          createdAt: nullable(instant),
          expiresAt: nullable(instant),
          updatedAt: instant,
          totalAdjustments: { type: 'integer' },
          lastDelta: nullable({ type: 'integer' }),
          lastEventId: { type: 'string' },
        },
      },
      timeline: { type: 'array', items: timelineEntry },
    },
  },
  ...errors(400, 404, 503),
} as const;

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' };

export const movementsQuery = {
  type: 'object',
  required: ['warehouse-id', 'from', 'to'],
  additionalProperties: false,
  properties: {
    'warehouse-id': warehouseId,
    from: { ...day, description: 'first day, YYYY-MM-DD (UTC), inclusive' },
    to: {
      ...day,
      description: `last day, inclusive; at most ${reportLimits.movementDaysMax} days`,
    },
  },
} as const;

const units = (description: string) => ({ type: 'integer', description });

export const movementsResponse = {
  200: {
    type: 'object',
    required: ['warehouseId', 'from', 'to', 'days'],
    properties: {
      warehouseId: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      days: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            day: { type: 'string' },
            events: units('events of the day'),
            receivedQty: units('units received'),
            adjustedQty: units('net units of stock adjustments (signed)'),
            reservedQty: units('units newly held'),
            reservationAdjustedQty: units('net change of held units by reservation changes'),
            confirmedQty: units('units of confirmed holds (left the stock)'),
            releasedQty: units('units of released holds'),
            expiredQty: units('units of expired holds'),
            statusChanges: units('item status changes'),
            netTotalChange: units('change of total stock'),
            netReservedChange: units('change of reserved stock'),
          },
        },
      },
    },
  },
  ...errors(400, 503),
} as const;
