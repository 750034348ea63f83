import type { ItemEvent } from '../domain/events.ts';

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

/** Version of the event's wire and log schema; readers reject versions they do not know. */
export const eventSchemaVersion = 1;

/**
 * Event ids are derived, not stored: the store's own id plus the event's position is unique
 * across stores and identical on every re-read, which makes downstream writes idempotent.
 */
export function eventIdOf(storeId: string, partition: number, seq: number): string {
  return `${storeId}-${partition}-${seq}`;
}
