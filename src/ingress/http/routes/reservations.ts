import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Reservations, ReserveInput } from '../../../app/reservations.ts';
import {
  reservationChangeBody,
  reservationIdBody,
  reservationIdParams,
  reserveBody,
} from '../../../requests/bodies.ts';
import { actorOf } from '../access/caller.ts';
import { bulkEntryError, sendError } from '../error-reply.ts';
import { reservationBody } from '../response-bodies.ts';
import {
  bulkReservation,
  bulkResponse,
  errors,
  reservation,
  reservationStatus,
} from '../schemas.ts';

export interface ReservationRoutesOptions {
  readonly inventory: Reservations;
  /** Only for the documentation of ttlSeconds: the use case applies it (seconds). */
  readonly defaultTtlSeconds: number;
  /** Most holds one bulk reserve may carry (STOCKD_BULK_ITEMS_MAX). */
  readonly bulkItemsMax: number;
}

const tags = ['reservations'];

const statusBody = {
  type: 'object',
  required: ['reservationId', 'status'],
  properties: { reservationId: { type: 'string' }, status: reservationStatus },
} as const;

/**
 * Holds on stock, one plugin over two prefixes: the seed's verbs under /inventory
 * (reserve, release, confirm) and the reservation's own resource under /reservations. A hook
 * added here covers both; one added in either child covers that one only.
 */
export const reservationRoutes: FastifyPluginAsync<ReservationRoutesOptions> = async (
  scope,
  options,
) => {
  await scope.register(async (verbs) => seedVerbs(verbs, options), { prefix: '/inventory' });
  await scope.register(async (resource) => reservationResource(resource, options.inventory), {
    prefix: '/reservations',
  });
};

function seedVerbs(scope: FastifyInstance, options: ReservationRoutesOptions): void {
  const { inventory } = options;
  scope.post<{ Body: ReserveInput }>(
    '/reserve',
    {
      schema: {
        tags,
        summary: 'Hold stock for an order; the same idempotency key and body return the same hold',
        body: reserveBody(options),
        response: { 200: reservation, 201: reservation, ...errors(400, 404, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.reserve(request.body, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      const { reservation: held, created } = outcome.value;
      return reply.code(created ? 201 : 200).send(reservationBody(held));
    },
  );

  scope.post<{ Body: { items: ReserveInput[] } }>(
    '/reserve/bulk',
    {
      schema: {
        tags,
        summary: `Up to ${options.bulkItemsMax} holds in one request, each decided on its own (not all or nothing): one entry per hold, in order`,
        body: {
          type: 'object',
          required: ['items'],
          additionalProperties: false,
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: options.bulkItemsMax,
              items: reserveBody(options),
            },
          },
        },
        response: { 200: bulkResponse(bulkReservation), ...errors(400, 503, 507) },
      },
    },
    async (request, reply) => {
      const { items } = request.body;
      const outcome = await inventory.reserveMany(items, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      return {
        items: outcome.value.map((outcome, i) => {
          if (outcome.ok) {
            const { created, reservation: held } = outcome.value;
            return { ok: true, created, ...reservationBody(held) };
          }
          const { sku, warehouseId } = items[i]!;
          return { ok: false, sku, warehouseId, ...bulkEntryError(outcome) };
        }),
      };
    },
  );

  const settle =
    (use: 'release' | 'confirm') =>
    async (request: FastifyRequest<{ Body: { reservationId: string } }>, reply: FastifyReply) => {
      const outcome = await inventory[use](request.body.reservationId, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      const { reservationId: id, status } = outcome.value;
      return { reservationId: id, status };
    };
  scope.post<{ Body: { reservationId: string } }>(
    '/release',
    {
      schema: {
        tags,
        summary: 'Give held stock back (a no-op for a released or expired hold)',
        body: reservationIdBody,
        response: { 200: statusBody, ...errors(400, 404, 409, 503, 507) },
      },
    },
    settle('release'),
  );
  scope.post<{ Body: { reservationId: string } }>(
    '/confirm',
    {
      schema: {
        tags,
        summary: 'Payment succeeded: take the held stock out of the total',
        body: reservationIdBody,
        response: { 200: statusBody, ...errors(400, 404, 409, 503, 507) },
      },
    },
    settle('confirm'),
  );
}

function reservationResource(scope: FastifyInstance, inventory: Reservations): void {
  scope.get<{ Params: { id: string } }>(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A reservation with its quantity history (versions, deltas, times)',
        params: reservationIdParams,
        response: { 200: reservation, ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.getReservation(request.params.id);
      if (!outcome.ok) return sendError(reply, outcome);
      return reservationBody(outcome.value);
    },
  );

  scope.patch<{ Params: { id: string }; Body: { quantity: number } }>(
    '/:id',
    {
      schema: {
        tags,
        summary:
          "Change a held reservation's quantity; the change is recorded as a delta with a new version",
        params: reservationIdParams,
        body: reservationChangeBody,
        response: {
          200: {
            ...reservation,
            required: [...reservation.required, 'delta'],
            properties: { ...reservation.properties, delta: { type: 'integer' } },
          },
          ...errors(400, 404, 409, 503, 507),
        },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.changeReservation(
        { reservationId: request.params.id, quantity: request.body.quantity },
        actorOf(request),
      );
      if (!outcome.ok) return sendError(reply, outcome);
      return { ...reservationBody(outcome.value.reservation), delta: outcome.value.delta };
    },
  );
}
