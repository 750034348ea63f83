/**
 * The HTTP ceiling for bench/http: a fastify server with the same reserve route schema as stockd
 * and a handler that does no work. Prints its URL on stdout.
 */
import Fastify from 'fastify';
import {
  idempotencyKey,
  quantity,
  reservation,
  sku,
  ttlSeconds,
  warehouseId,
} from '../../src/ingress/http/schemas.ts';

const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
const createdAt = new Date().toISOString();
app.post<{ Body: { idempotencyKey: string; sku: string; warehouseId: string; quantity: number } }>(
  '/inventory/reserve',
  {
    schema: {
      body: {
        type: 'object',
        required: ['sku', 'warehouseId', 'quantity'],
        additionalProperties: false,
        properties: {
          idempotencyKey,
          orderId: idempotencyKey,
          sku,
          warehouseId,
          quantity,
          ttlSeconds,
        },
      },
      response: { 201: reservation },
    },
  },
  async (request, reply) =>
    reply.code(201).send({
      reservationId: 'rsv-0-1',
      sku: request.body.sku,
      warehouseId: request.body.warehouseId,
      idempotencyKey: request.body.idempotencyKey,
      quantity: request.body.quantity,
      status: 'HELD',
      ttlSeconds: 900,
      createdAt,
      expiresAt: createdAt,
      updatedAt: createdAt,
      version: 1,
    }),
);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url }));
