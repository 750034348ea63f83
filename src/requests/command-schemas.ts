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
 * field (`reservationId` of PATCH /reservations/:id, `orderId` of /orders/:id/…). Item and
 * reservation commands may also name their `actor` (over HTTP, the API key's name is it).
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

/** The JSON Schema of every command message type, from the HTTP bodies of the same settings. */
export function commandSchemas(
  settings: BodySettings,
): Readonly<Record<CommandMessageType, ObjectSchema>> {
  const reservationPath = { reservationId: reservationIdParams.properties.id };
  const orderPath = { orderId: orderIdParams.properties.id };
  return {
    ReceiveStock: message('ReceiveStock', receiptBody),
    AdjustStock: message('AdjustStock', adjustmentBody),
    SetItemStatus: message('SetItemStatus', statusChangeBody),
    Reserve: message('Reserve', reserveBody(settings)),
    ChangeReservation: message('ChangeReservation', reservationChangeBody, reservationPath),
    Confirm: message('Confirm', reservationIdBody),
    Release: message('Release', reservationIdBody),
    // Orders record no actor over either transport.
    PlaceOrder: message('PlaceOrder', placeOrderBody(settings), {}, false),
    ChangeOrder: message('ChangeOrder', orderChangeBody(settings), orderPath, false),
    ConfirmOrder: message('ConfirmOrder', orderConfirmationBody(settings), orderPath, false),
    CancelOrder: message('CancelOrder', orderCancellationBody, orderPath, false),
  };
}

function message(
  type: CommandMessageType,
  body: ObjectSchema,
  path: Readonly<Record<string, unknown>> = {},
  withActor = true,
): ObjectSchema {
  return {
    ...body,
    required: ['type', 'commandId', ...Object.keys(path), ...(body.required ?? [])],
    properties: {
      type: { const: type },
      commandId,
      ...(withActor && { actor }),
      ...path,
      ...body.properties,
    },
  };
}
