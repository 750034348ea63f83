import type { ItemEvent } from '../domain/events.ts';
import type { OrderEvent } from '../domain/order-events.ts';

/** Where an event sits in the log, and which item and command it belongs to. */
export interface EventEnvelope {
  readonly partition: number;
  /** Strictly increasing and dense per partition, starting at 1. */
  readonly seq: number;
  readonly sku: string;
  readonly warehouseId: string;
  /** seq of the same item's previous event in this partition; 0 for its first. */
  readonly itemPreviousSeq: number;
  readonly commandId?: string;
  /** Who issued the command: an API key's name, or a Kafka producer's declared actor. */
  readonly actor?: string;
  /**
   * With a commandId: the fingerprint of the command's body (domain/command-fingerprint.ts), so
   * that the partition rebuilt from the log still tells a redelivery from a reused commandId.
   * Internal to stockd: not part of the event on the wire. Absent in logs written before it.
   */
  readonly commandFingerprint?: number;
}

/** The unit of the log: a domain event in its envelope. */
export type LoggedEvent = ItemEvent & EventEnvelope;

/** An order's event sits in the log of its orderId's partition, in the same seq order. */
export interface OrderEventEnvelope {
  readonly partition: number;
  readonly seq: number;
  readonly commandId?: string;
}

export type LoggedOrderEvent = OrderEvent & OrderEventEnvelope;

/**
 * Anything a partition's log holds: item events and order events, one dense seq order. Readers
 * of an item's past meet only item events (they follow the item's own chain); replay, the relay
 * and the codecs see both (domain/order-events.ts `isOrderEvent` tells them apart).
 */
export type LogEntry = LoggedEvent | LoggedOrderEvent;

/** Version of the event's wire and log schema; readers reject versions they do not know. */
export const eventSchemaVersion = 1;

/**
 * Event ids are derived, not stored: the store's own id plus the event's position is unique
 * across stores and identical on every re-read, which makes downstream writes idempotent.
 */
export function eventIdOf(storeId: string, partition: number, seq: number): string {
  return `${storeId}-${partition}-${seq}`;
}
