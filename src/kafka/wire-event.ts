import { pack, unpack } from 'msgpackr';
import { eventIdOf, eventSchemaVersion, type LoggedEvent } from '../checkpoint/logged-event.ts';
import type { EventType } from '../domain/events.ts';
import type { ItemStatus } from '../domain/item.ts';
import { itemKeyOf } from '../domain/item-key.ts';

/**
 * An event as it leaves stockd (topic `inventory-events`): flat, self-describing MessagePack
 * maps that any MessagePack reader decodes. Field names are the contract; see docs/events.md.
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
  /** ReservationAdjusted: change of the reservation's quantity. */
  readonly delta?: number;
  readonly reservationVersion?: number;
  readonly ttlSeconds?: number;
  readonly expiresAtMs?: number;
  readonly reason?: string;
  readonly commandId?: string;
  /** Who issued the command: an API key's name, or a Kafka producer's declared actor. */
  readonly actor?: string;
}

export function toWireEvent(storeId: string, event: LoggedEvent): WireEvent {
  // The fingerprint serves the partition's own deduplication: it is no part of the contract.
  const { commandFingerprint: _, ...fields } = event;
  return {
    schemaVersion: eventSchemaVersion,
    eventId: eventIdOf(storeId, event.partition, event.seq),
    ...fields,
    availableQty: event.totalQty - event.reservedQty,
  };
}

/** Kafka message key: the item, so that Kafka's partitioner agrees with stockd's. */
export function wireKeyOf(event: Pick<WireEvent, 'sku' | 'warehouseId'>): string {
  return itemKeyOf(event.sku, event.warehouseId);
}

export function encodeWireEvent(event: WireEvent): Buffer {
  return pack(event);
}

export class WireEventError extends Error {
  override name = 'WireEventError';
}

export function decodeWireEvent(bytes: Uint8Array): WireEvent {
  const event = unpack(bytes) as WireEvent;
  if (typeof event !== 'object' || event === null || event.schemaVersion !== eventSchemaVersion) {
    throw new WireEventError(`not a stockd event of schema ${eventSchemaVersion}`);
  }
  return event;
}
