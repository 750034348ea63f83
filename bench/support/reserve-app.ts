/**
 * The reserve routes every front of bench/http and bench/bulk serves (bare, Redis, PostgreSQL):
 * stockd's paths (single and bulk), Fastify options and JSON schemas (request, 200/201
 * reservation, error bodies), so the servers differ only in what the handler does. A front prints its URL on stdout as stockd's
 * logger does, which is how bench/support/server-process.ts finds it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import {
  bulkReservation,
  bulkResponse,
  errors,
  idempotencyKey,
  quantity,
  reservation,
  sku,
  ttlSeconds,
  warehouseId,
} from '../../src/ingress/http/schemas.ts';

export interface ReserveBody {
  readonly idempotencyKey?: string;
  readonly orderId?: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly ttlSeconds?: number;
}

/** The reservation as stockd's reply carries it (times as ISO-8601). */
export interface ReservationReply {
  readonly reservationId: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly idempotencyKey: string;
  readonly quantity: number;
  readonly status: 'HELD';
  readonly ttlSeconds: number;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export type ReserveOutcome =
  | { readonly statusCode: 200 | 201; readonly reservation: ReservationReply }
  | { readonly statusCode: 400 | 404 | 409; readonly code: string; readonly message: string };

const reasonPhrases = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict' } as const;

/** stockd's default hold time when a request names none (seconds). */
export const defaultTtlSeconds = 900;

export function reserveApp(
  reserve: (body: ReserveBody) => Promise<ReserveOutcome>,
): FastifyInstance {
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  app.post<{ Body: ReserveBody }>(
    '/inventory/reserve',
    {
      schema: {
        body: reserveBody,
        response: { 200: reservation, 201: reservation, ...errors(400, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const outcome = await reserve(request.body);
      if ('reservation' in outcome) return reply.code(outcome.statusCode).send(outcome.reservation);
      const { statusCode, code, message } = outcome;
      return reply
        .code(statusCode)
        .send({ statusCode, code, error: reasonPhrases[statusCode], message });
    },
  );
  // As stockd's bulk route: each hold on its own, answered in its place (body and codes alike).
  app.post<{ Body: { items: ReserveBody[] } }>(
    '/inventory/reserve/bulk',
    {
      schema: {
        body: {
          type: 'object',
          required: ['items'],
          additionalProperties: false,
          properties: {
            items: { type: 'array', minItems: 1, maxItems: 10_000, items: reserveBody },
          },
        },
        response: { 200: bulkResponse(bulkReservation), ...errors(400, 503) },
      },
    },
    async (request) => {
      const outcomes = await Promise.all(request.body.items.map(reserve));
      return {
        items: outcomes.map((outcome, i) => {
          if ('reservation' in outcome) {
            return { ok: true, created: outcome.statusCode === 201, ...outcome.reservation };
          }
          const { sku: itemSku, warehouseId: itemWarehouseId } = request.body.items[i]!;
          const { code, message } = outcome;
          return { ok: false, sku: itemSku, warehouseId: itemWarehouseId, code, message };
        }),
      };
    },
  );
  return app;
}

const reserveBody = {
  type: 'object',
  required: ['sku', 'warehouseId', 'quantity'],
  additionalProperties: false,
  properties: { idempotencyKey, orderId: idempotencyKey, sku, warehouseId, quantity, ttlSeconds },
} as const;

/** The key a request is idempotent under (`orderId` is accepted for it, as stockd does). */
export const keyOf = (body: ReserveBody): string | undefined => body.idempotencyKey ?? body.orderId;

export const missingKey: ReserveOutcome = {
  statusCode: 400,
  code: 'VALIDATION',
  message: 'idempotencyKey (or orderId) is required',
};

/** Listens on a free loopback port and prints `{"url": …}` for the bench to read. */
export async function serve(app: FastifyInstance): Promise<void> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url }));
}

/** A new or repeated hold as stockd replies with it: version 1, HELD, times from createdAtMs. */
export function heldReservation(hold: {
  readonly key: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly ttlSeconds: number;
  readonly createdAtMs: number;
}): ReservationReply {
  const createdAt = new Date(hold.createdAtMs).toISOString();
  return {
    reservationId: hold.key,
    sku: hold.sku,
    warehouseId: hold.warehouseId,
    idempotencyKey: hold.key,
    quantity: hold.quantity,
    status: 'HELD',
    ttlSeconds: hold.ttlSeconds,
    createdAt,
    expiresAt: new Date(hold.createdAtMs + hold.ttlSeconds * 1000).toISOString(),
    updatedAt: createdAt,
    version: 1,
  };
}
