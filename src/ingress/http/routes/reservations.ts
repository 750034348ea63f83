import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Engine } from '../../../engine/engine.ts';
import type { EngineResult } from '../../../worker-protocol/results.ts';
import { errorBody } from '../http-error.ts';
import { sendRefusal } from '../refusal.ts';
import { reservationBody } from '../response-bodies.ts';
import {
  errors,
  idempotencyKey,
  quantity,
  reservation,
  reservationId,
  reservationStatus,
  sku,
  ttlSeconds,
  warehouseId,
} from '../schemas.ts';

interface ReserveBody {
  idempotencyKey?: string;
  orderId?: string;
  sku: string;
  warehouseId: string;
  quantity: number;
  ttlSeconds?: number;
}

const statusBody = {
  type: 'object',
  required: ['reservationId', 'status'],
  properties: { reservationId: { type: 'string' }, status: reservationStatus },
} as const;

const byId = {
  type: 'object',
  required: ['reservationId'],
  additionalProperties: false,
  properties: { reservationId },
} as const;

/** The seed's reserve/release/confirm, and a reservation's own resource. */
export function reservationRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; defaultTtlSeconds: number },
): void {
  const { engine } = deps;

  app.post<{ Body: ReserveBody }>(
    '/inventory/reserve',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Hold stock for an order; the same idempotency key and body return the same hold',
        body: {
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
              description: `hold time; default ${deps.defaultTtlSeconds}`,
            },
          },
        },
        response: { 200: reservation, 201: reservation, ...errors(400, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const key = body.idempotencyKey ?? body.orderId;
      if (
        key === undefined ||
        (body.orderId !== undefined && body.idempotencyKey !== undefined && body.orderId !== key)
      ) {
        return reply.code(400).send(
          errorBody('VALIDATION', 'one idempotencyKey (or orderId) is required', [
            {
              field: 'idempotencyKey',
              message: 'give idempotencyKey or orderId (equal if both)',
            },
          ]),
        );
      }
      const result = await engine.submit({
        type: 'Reserve',
        sku: body.sku,
        warehouseId: body.warehouseId,
        idempotencyKey: key,
        quantity: body.quantity,
        ttlSeconds: body.ttlSeconds ?? deps.defaultTtlSeconds,
      });
      if (!result.ok) return sendRefusal(reply, result);
      return reply.code(result.applied ? 201 : 200).send(reservationBody(result.reservation!));
    },
  );

  const settle =
    (type: 'Release' | 'Confirm') =>
    async (request: { body: { reservationId: string } }, reply: FastifyReply) => {
      const result = await engine.submit({ type, reservationId: request.body.reservationId });
      return statusReply(reply, result);
    };
  app.post<{ Body: { reservationId: string } }>(
    '/inventory/release',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Give held stock back (a no-op for a released or expired hold)',
        body: byId,
        response: { 200: statusBody, ...errors(400, 404, 409, 503) },
      },
    },
    settle('Release'),
  );
  app.post<{ Body: { reservationId: string } }>(
    '/inventory/confirm',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Payment succeeded: take the held stock out of the total',
        body: byId,
        response: { 200: statusBody, ...errors(400, 404, 409, 503) },
      },
    },
    settle('Confirm'),
  );

  app.get<{ Params: { id: string } }>(
    '/reservations/:id',
    {
      schema: {
        tags: ['reservations'],
        summary: 'A reservation with its quantity history (versions, deltas, times)',
        params: { type: 'object', required: ['id'], properties: { id: reservationId } },
        response: { 200: reservation, ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const result = await engine.submit({
        type: 'GetReservation',
        reservationId: request.params.id,
      });
      if (!result.ok) return sendRefusal(reply, result);
      return reservationBody(result.reservation!);
    },
  );

  app.patch<{ Params: { id: string }; Body: { quantity: number } }>(
    '/reservations/:id',
    {
      schema: {
        tags: ['reservations'],
        summary:
          "Change a held reservation's quantity; the change is recorded as a delta with a new version",
        params: { type: 'object', required: ['id'], properties: { id: reservationId } },
        body: {
          type: 'object',
          required: ['quantity'],
          additionalProperties: false,
          properties: { quantity },
        },
        response: {
          200: {
            ...reservation,
            required: [...reservation.required, 'delta'],
            properties: { ...reservation.properties, delta: { type: 'integer' } },
          },
          ...errors(400, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const result = await engine.submit({
        type: 'ChangeReservation',
        reservationId: request.params.id,
        quantity: request.body.quantity,
      });
      if (!result.ok) return sendRefusal(reply, result);
      const body = reservationBody(result.reservation!);
      const last = result.applied ? body.history?.at(-1) : undefined;
      return { ...body, delta: last?.delta ?? 0 };
    },
  );
}

function statusReply(reply: FastifyReply, result: EngineResult) {
  if (!result.ok) return sendRefusal(reply, result);
  const { reservationId: id, status } = result.reservation!;
  return reply.send({ reservationId: id, status });
}
