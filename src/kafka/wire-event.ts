import {
  eventIdOf,
  type LogEntry,
  type LoggedEvent,
  type LoggedOrderEvent,
} from '../checkpoint/logged-event.ts';
import type { EventType } from '../domain/events.ts';
import type { ItemStatus } from '../domain/item.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import type { EventLine, OrderStatus } from '../domain/order.ts';
import { isOrderEvent, type OrderEventType } from '../domain/order-events.ts';
import { packWithIntegers, unpackWithIntegers } from './msgpack-integers.ts';

/**
 * The major version of the events' schema, in every event (`schemaVersion`) and its
 * `stockd-schema-version` header. docs/asyncapi.yaml is the contract and docs/kafka.md states
 * the rule: fields and headers added keep it; a field removed, renamed or retyped, a meaning
 * changed or an event type added bumps it. 2: integers wider than 32 bits became MessagePack integers (1 sent
 * them as float64, which msgpackr-based readers now get as BigInt unless they ask for numbers).
 * The log's own format is versioned apart (checkpoint/logged-event.ts).
 */
export const wireEventSchemaVersion = 2;

/** Versions this code reads: 1's events are still on the topic (its retention) after an upgrade. */
export const readableWireEventSchemaVersions: readonly number[] = [1, 2];

/** On every event message: how to decode the value, and which schema it follows. */
export const wireEventHeaders = Object.freeze({
  'content-type': 'application/msgpack',
  'stockd-schema-version': `${wireEventSchemaVersion}`,
});

/**
 * An event as it leaves stockd (topic `inventory-events`): flat, self-describing MessagePack
 * maps that any MessagePack reader decodes, every integer a MessagePack integer. Field names
 * and types are the contract: docs/asyncapi.yaml, tested against this code.
 */
export interface WireEvent {
  readonly schemaVersion: number;
  readonly eventId: string;
  readonly partition: number;
  readonly seq: number;
  readonly type: EventType;
  readonly sku: string;
  readonly warehouseId: string;
  readonly timestampMs: number;
  readonly totalDelta: number;
  readonly reservedDelta: number;
  readonly totalQty: number;
  readonly reservedQty: number;
  readonly availableQty: number;
  readonly status: ItemStatus;
  readonly itemVersion: number;
  readonly itemPreviousSeq: number;
  readonly reservationId?: string;
  readonly idempotencyKey?: string;
  /** Reservation events: the reservation's quantity after the event; receipts: units received. */
  readonly quantity?: number;
  /** ReservationAdjusted: change of the reservation's quantity; StockAdjusted: of the total. */
  readonly delta?: number;
  /** StockAdjusted by a stock count: the total counted (then equal to totalQty). */
  readonly setTotal?: number;
  readonly reservationVersion?: number;
  readonly ttlSeconds?: number;
  readonly expiresAtMs?: number;
  readonly reason?: string;
  readonly commandId?: string;
  /** Who issued the command: an API key's name, or a Kafka producer's declared actor. */
  readonly actor?: string;
}

/**
 * An order's event on the same topic (partition = the order's, key = its orderId): the order
 * after the event, and the lines it concerns. See docs/orders.md.
 */
export interface WireOrderEvent {
  readonly schemaVersion: number;
  readonly eventId: string;
  readonly partition: number;
  readonly seq: number;
  readonly type: OrderEventType;
  readonly orderId: string;
  readonly timestampMs: number;
  readonly status: OrderStatus;
  readonly orderVersion: number;
  readonly totalQuantity: number;
  readonly lines: readonly EventLine[];
  /** OrderPlaced. */
  readonly customerId?: string;
  readonly ttlSeconds?: number;
  readonly expiresAtMs?: number;
  readonly commandId?: string;
  /** Who asked for the step: an API key's name, or a Kafka producer's declared actor. */
  readonly actor?: string;
}

/** Anything on the events topic: an item's event or an order's. */
export type WireEntry = WireEvent | WireOrderEvent;

export function toWireEntry(storeId: string, entry: LogEntry): WireEntry {
  return isOrderEvent(entry) ? toWireOrderEvent(storeId, entry) : toWireEvent(storeId, entry);
}

export function toWireOrderEvent(storeId: string, event: LoggedOrderEvent): WireOrderEvent {
  return {
    schemaVersion: wireEventSchemaVersion,
    eventId: eventIdOf(storeId, event.partition, event.seq),
    ...event,
  };
}

/** Kafka message key of any entry: the item, or the order (both hash to their partition). */
export function wireKeyOfEntry(entry: LogEntry | WireEntry): string {
  return 'orderVersion' in entry ? entry.orderId : itemKeyOf(entry.sku, entry.warehouseId);
}

export function isWireOrderEvent(entry: WireEntry): entry is WireOrderEvent {
  return 'orderVersion' in entry;
}

export function toWireEvent(storeId: string, event: LoggedEvent): WireEvent {
  // The fingerprint serves the partition's own deduplication: it is no part of the contract.
  const { commandFingerprint: _, ...fields } = event;
  return {
    schemaVersion: wireEventSchemaVersion,
    eventId: eventIdOf(storeId, event.partition, event.seq),
    ...fields,
    // Adjustments logged before they carried their delta: it is the change of the total.
    ...(event.type === 'StockAdjusted' && { delta: event.delta ?? event.totalDelta }),
    availableQty: event.totalQty - event.reservedQty,
  };
}

/** Kafka message key: the item, so that Kafka's partitioner agrees with stockd's. */
export function wireKeyOf(event: Pick<WireEvent, 'sku' | 'warehouseId'>): string {
  return itemKeyOf(event.sku, event.warehouseId);
}

export function encodeWireEvent(event: WireEntry): Buffer {
  return packWithIntegers(event);
}

export class WireEventError extends Error {
  override name = 'WireEventError';
}

/** Any event of a readable schema version; the fields' types are the reader's to check. */
export function decodeWireEvent(bytes: Uint8Array): WireEntry {
  const event = unpackWithIntegers(bytes) as WireEntry;
  if (
    typeof event !== 'object' ||
    event === null ||
    !readableWireEventSchemaVersions.includes(event.schemaVersion)
  ) {
    const versions = readableWireEventSchemaVersions.join(' or ');
    throw new WireEventError(`not a stockd event of schema ${versions}`);
  }
  return event;
}
