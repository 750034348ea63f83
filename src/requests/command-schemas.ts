import {
  adjustmentBody,
  type BodySettings,
  orderCancellationBody,
  orderChangeBody,
  orderConfirmationBody,
  orderIdParams,
  placeOrderBody,
  receiptBody,
  reservationChangeBody,
  reservationIdBody,
  reservationIdParams,
  reserveBody,
  statusChangeBody,
} from './bodies.ts';
import { actor, commandId } from './fields.ts';

/**
 * A command message of the Kafka command topic is exactly the body of its HTTP request
 * (bodies.ts) plus `type` and `commandId` — and the request's path parameter, if it has one, as a
 * field (`reservationId` of PATCH /reservations/:id, `orderId` of /orders/:id/…). Every command
 * may also name its `actor` (over HTTP, the API key's name is it).
 *
 *   type               HTTP request
 *   ReceiveStock       POST /inventory/receipts (one receipt; a bulk is HTTP's own batch)
 *   AdjustStock        POST /inventory/adjustments
 *   SetItemStatus      PUT /inventory/status
 *   Reserve            POST /inventory/reserve
 *   ChangeReservation  PATCH /reservations/:id
 *   Confirm, Release   POST /inventory/confirm, /inventory/release
 *   PlaceOrder         POST /orders
 *   ChangeOrder        PATCH /orders/:id
 *   ConfirmOrder       POST /orders/:id/confirm
 *   CancelOrder        POST /orders/:id/cancel
 */
export const commandMessageTypes = [
  'ReceiveStock',
  'AdjustStock',
  'SetItemStatus',
  'Reserve',
  'ChangeReservation',
  'Confirm',
  'Release',
  'PlaceOrder',
  'ChangeOrder',
  'ConfirmOrder',
  'CancelOrder',
] as const;

export type CommandMessageType = (typeof commandMessageTypes)[number];

interface ObjectSchema {
  readonly type: 'object';
  readonly required?: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Every request's schema: its HTTP body with its path parameter as a field — what the use cases
 * take, whichever transport it came by.
 */
export function requestSchemas(
  settings: BodySettings,
): Readonly<Record<CommandMessageType, ObjectSchema>> {
  const reservationPath = { reservationId: reservationIdParams.properties.id };
  const orderPath = { orderId: orderIdParams.properties.id };
  return {
    ReceiveStock: receiptBody,
    AdjustStock: adjustmentBody,
    SetItemStatus: statusChangeBody,
    Reserve: reserveBody(settings),
    ChangeReservation: withFields(reservationChangeBody, reservationPath),
    Confirm: reservationIdBody,
    Release: reservationIdBody,
    PlaceOrder: placeOrderBody(settings),
    ChangeOrder: withFields(orderChangeBody(settings), orderPath),
    ConfirmOrder: withFields(orderConfirmationBody(settings), orderPath),
    CancelOrder: withFields(orderCancellationBody, orderPath),
  };
}

/** The JSON Schema of every command message type: its request's, plus the envelope. */
export function commandSchemas(
  settings: BodySettings,
): Readonly<Record<CommandMessageType, ObjectSchema>> {
  const requests = requestSchemas(settings);
  return Object.fromEntries(
    commandMessageTypes.map((type) => [
      type,
      withFields(requests[type], {
        type: { const: type },
        commandId,
        actor,
      }),
    ]),
  ) as Record<CommandMessageType, ObjectSchema>;
}

/** The schema with more fields, all of them required but an actor; first in the field order. */
function withFields(body: ObjectSchema, fields: Readonly<Record<string, unknown>>): ObjectSchema {
  const required = Object.keys(fields).filter((name) => name !== 'actor');
  return {
    ...body,
    required: [...required, ...(body.required ?? [])],
    properties: { ...fields, ...body.properties },
  };
}
