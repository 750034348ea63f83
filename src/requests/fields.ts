import { limits } from '../domain/limits.ts';
import { patterns } from '../domain/validate-command.ts';

/**
 * JSON Schemas of the fields clients send, built from the domain's own patterns and limits. The
 * request bodies (bodies.ts) are made of them; HTTP and the Kafka command topic both validate
 * against those bodies, so one field has one rule whichever transport carries it.
 */
const identifier = (lengthMax: number) =>
  ({ type: 'string', minLength: 1, maxLength: lengthMax, pattern: patterns.identifier }) as const;

const token = (lengthMax: number) =>
  ({ type: 'string', minLength: 1, maxLength: lengthMax, pattern: patterns.token }) as const;

export const sku = identifier(limits.skuLengthMax);
export const warehouseId = identifier(limits.warehouseIdLengthMax);
export const idempotencyKey = token(limits.idempotencyKeyLengthMax);
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
export const delta = {
  type: 'integer',
  minimum: -limits.commandQuantityMax,
  maximum: limits.commandQuantityMax,
  not: { const: 0 },
} as const;
export const setTotal = { type: 'integer', minimum: 0, maximum: limits.totalQtyMax } as const;
export const reason = {
  type: 'string',
  minLength: 1,
  maxLength: limits.reasonLengthMax,
  pattern: patterns.text,
} as const;
export const ttlSeconds = { type: 'integer', minimum: 1, maximum: limits.ttlSecondsMax } as const;
export const itemStatus = { type: 'string', enum: ['ACTIVE', 'INACTIVE'] } as const;

export const orderId = { ...idempotencyKey, description: "the order's id: its idempotency key" };
export const customerId = token(limits.customerIdLengthMax);

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

/** Kafka only: names the command's result and makes redelivery harmless. */
export const commandId = {
  ...token(limits.commandIdLengthMax),
  description: "names the command's result; the same commandId and body again is a redelivery",
};
/** Kafka only: who the command is issued for (over HTTP, the API key's name). */
export const actor = {
  ...identifier(limits.actorLengthMax),
  description: "recorded as the events' actor; the producer's own word",
};
