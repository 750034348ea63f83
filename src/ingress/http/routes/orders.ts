import type { FastifyPluginAsync } from 'fastify';
import type { Orders, PlaceOrderInput } from '../../../app/orders/orders.ts';
import type { LineRequest } from '../../../domain/order.ts';
import {
  orderChangeBody,
  orderConfirmationBody,
  orderIdParams,
  placeOrderBody,
} from '../../../requests/bodies.ts';
import { actorOf } from '../access/caller.ts';
import { sendError } from '../error-reply.ts';
import { orderBody } from '../order-bodies.ts';
import { changedOrder, order } from '../order-schemas.ts';
import { errors } from '../schemas.ts';

export interface OrderRoutesOptions {
  readonly inventory: Orders;
  /** Most lines one order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
  /** Only for the documentation of ttlSeconds: the use case applies it (seconds). */
  readonly defaultTtlSeconds: number;
}

const tags = ['orders'];

/**
 * Orders, registered under /orders: place (every line held or none), read with the timeline,
 * change quantities, confirm (in full or partly) and cancel. Each route is one use case call;
 * the saga across the lines' items runs in the use-case layer (app/orders).
 */
export const orderRoutes: FastifyPluginAsync<OrderRoutesOptions> = async (scope, options) => {
  const { inventory } = options;

  scope.post<{ Body: PlaceOrderInput }>(
    '/',
    {
      schema: {
        tags,
        summary:
          'Place an order: every line is held, or none is (409 ORDER_FAILED names each line with its code). The same orderId and body again answer the same order',
        body: placeOrderBody(options),
        response: { 200: order, 201: order, ...errors(400, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.placeOrder({
        ...request.body,
        actor: actorOf(request),
      });
      if (!outcome.ok) return sendError(reply, outcome);
      return reply.code(outcome.value.created ? 201 : 200).send(orderBody(outcome.value.order));
    },
  );

  scope.get<{ Params: { id: string } }>(
    '/:id',
    {
      schema: {
        tags,
        summary:
          'An order with its lines and its whole timeline (versions, per-line deltas, statuses, times)',
        params: orderIdParams,
        response: { 200: order, ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.getOrder(request.params.id);
      if (!outcome.ok) return sendError(reply, outcome);
      return orderBody(outcome.value, true);
    },
  );

  scope.patch<{ Params: { id: string }; Body: { lines: LineRequest[] } }>(
    '/:id',
    {
      schema: {
        tags,
        summary:
          'Change quantities: the named lines get their new quantity (0 drops a line, an unknown line is added); increases are all held or none is. Records the per-line deltas with a new version',
        params: orderIdParams,
        body: orderChangeBody(options),
        response: { 200: changedOrder, ...errors(400, 404, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.changeOrder({
        orderId: request.params.id,
        lines: request.body.lines,
        actor: actorOf(request),
      });
      if (!outcome.ok) return sendError(reply, outcome);
      return { ...orderBody(outcome.value.order), changes: outcome.value.changes };
    },
  );

  scope.post<{ Params: { id: string }; Body: { lines?: LineRequest[] } }>(
    '/:id/confirm',
    {
      // No body at all means "confirm every line in full", like an empty one.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        summary:
          'Payment succeeded: confirm every line, or name lines to confirm fewer units of (the rest of those lines is released)',
        params: orderIdParams,
        body: orderConfirmationBody(options),
        response: { 200: order, ...errors(400, 404, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.confirmOrder({
        orderId: request.params.id,
        lines: request.body.lines,
        actor: actorOf(request),
      });
      if (!outcome.ok) return sendError(reply, outcome);
      return orderBody(outcome.value.order);
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Payment failed: release every line (a no-op for an order that holds nothing)',
        params: orderIdParams,
        response: { 200: order, ...errors(400, 404, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.cancelOrder(request.params.id, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      return orderBody(outcome.value.order);
    },
  );
};
