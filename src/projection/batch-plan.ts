import type { ItemStatus } from '../domain/item.ts';
import type { ReservationStatus } from '../domain/reservation.ts';
import type { WireEvent, WireOrderEvent } from '../kafka/wire-event.ts';
import type { OrderLineRow, OrderSnapshotRow } from './order-rows.ts';

/** A Kafka message as the projection needs it (kafkajs's KafkaMessage fits). */
export interface IncomingMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** The newest state of one item in a batch: its event with the highest seq. */
export interface LevelRow {
  readonly sku: string;
  readonly warehouseId: string;
  readonly partition: number;
  readonly seq: number;
  readonly eventId: string;
  readonly totalQty: number;
  readonly reservedQty: number;
  readonly status: ItemStatus;
  readonly itemVersion: number;
  readonly timestampMs: number;
}

/** An item's levels after its last event of a UTC day that a later event closed. */
export interface DayCloseRow extends LevelRow {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
}

/** The newest state of one reservation in a batch, with its creation if the batch holds it. */
export interface ReservationRow {
  readonly reservationId: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly partition: number;
  readonly status: ReservationStatus;
  readonly quantity: number;
  readonly version: number;
  readonly eventId: string;
  readonly seq: number;
  readonly timestampMs: number;
  readonly creation: ReservationCreation | undefined;
}

export interface ReservationCreation {
  readonly idempotencyKey: string;
  readonly ttlSeconds: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/** One entry of a reservation's quantity history (creation is version 1). */
export interface QuantityChangeRow {
  readonly reservationId: string;
  readonly version: number;
  readonly delta: number;
  readonly quantity: number;
  readonly timestampMs: number;
  readonly eventId: string;
}

export interface RejectedMessage {
  readonly offset: string;
  readonly reason: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Everything one transaction writes for a run of messages of one Kafka partition. */
export interface BatchPlan {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the run's last message: committed to Kafka once the transaction is. */
  readonly lastOffset: string;
  /** Distinct by eventId, in log order. */
  readonly events: readonly WireEvent[];
  /** The raw event: `eventPayloads[i]` is the message value `events[i]` was decoded from. */
  readonly eventPayloads: readonly Buffer[];
  readonly rejects: readonly RejectedMessage[];
  readonly levels: readonly LevelRow[];
  readonly dayCloses: readonly DayCloseRow[];
  readonly reservations: readonly ReservationRow[];
  readonly quantityChanges: readonly QuantityChangeRow[];
  /** Orders' events (distinct by eventId, in log order), and the rows they give. */
  readonly orderEvents: readonly WireOrderEvent[];
  /** The message value of each order event, like `eventPayloads`. */
  readonly orderEventPayloads: readonly Buffer[];
  readonly orderSnapshots: readonly OrderSnapshotRow[];
  readonly orderLines: readonly OrderLineRow[];
  /** Timestamp of the newest event in the run (undefined: none). */
  readonly newestEventAtMs: number | undefined;
}
