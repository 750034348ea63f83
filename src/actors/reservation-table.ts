import {
  noAdjustments,
  type QuantityChange,
  type Reservation,
  type ReservationStatus,
} from '../domain/reservation.ts';
import { formatReservationId } from '../domain/reservation-id.ts';
import { IdempotencyIndex } from './idempotency-index.ts';
import type { ItemTable } from './item-table.ts';
import { SeqTable } from './seq-table.ts';

const statusCodes: readonly ReservationStatus[] = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'];

/**
 * The reservations of one partition, by the seq of the event that created each (its id names
 * that seq) and by idempotency key. Every reserve adds a hold that lives on — most of a worker's
 * heap at a high rate — so holds are rows of one Float64Array, like items (item-table.ts),
 * outside the heap: a Reservation object per hold was copied twice by the young generation's
 * collector and then traced by every full one (a fifth of the engine's CPU at 200,000 reserves
 * a second). Of each hold the heap keeps its idempotency key string and the slots that point at
 * its row. A Reservation is built when one is asked for (a change, a view, a snapshot) and dies
 * young. Rows of forgotten holds are reused. Rows come in chunks of a fixed size that never move:
 * one array doubled at a million holds copied 80 MB in the worker's thread, and its allocation
 * set off a full collection.
 *
 *   row r: [ creationSeq | itemIndex | quantity | requestedQuantity | ttlSeconds | status |
 *            createdAtMs | expiresAtMs | updatedAtMs | version ]
 *
 * Order lines' orderIds and quantity histories, both absent from most holds, are kept by row
 * in maps.
 */
const seqField = 0;
const itemField = 1;
const quantityField = 2;
const requestedField = 3;
const ttlField = 4;
const statusField = 5;
const createdAtField = 6;
const expiresAtField = 7;
const updatedAtField = 8;
const versionField = 9;
const rowFields = 10;
const chunkRowsBits = 10;
/** Rows per chunk: 1,024 (80 KB of rows). */
const chunkRows = 1 << chunkRowsBits;
const chunkRowMask = chunkRows - 1;

/** Rows `chunk * chunkRows` on: their fields, and their holds' idempotency keys. */
interface Chunk {
  readonly rows: Float64Array;
  readonly idempotencyKeys: string[];
}

export class ReservationTable {
  readonly #partition: number;
  readonly #items: ItemTable;
  readonly #rowBySeq = new SeqTable<number>();
  readonly #chunks: Chunk[] = [];
  #rowCount = 0;
  readonly #orderIds = new Map<number, string>();
  readonly #adjustments = new Map<number, readonly QuantityChange[]>();
  readonly #freeRows: number[] = [];
  readonly #byIdempotencyKey = new IdempotencyIndex({
    idempotencyKeyAt: (row) => this.#idempotencyKeyAt(row),
    itemKeyAt: (row) => this.#items.keyAt(this.#rowsOf(row)[fieldsAt(row) + itemField]!),
  });

  /** `items` names each hold's item: a row keeps the item's index, a Reservation its key. */
  constructor(partition: number, items: ItemTable) {
    this.#partition = partition;
    this.#items = items;
  }

  get size(): number {
    return this.#rowBySeq.size;
  }

  get(creationSeq: number): Reservation | undefined {
    const row = this.#rowBySeq.get(creationSeq);
    return row === undefined ? undefined : this.#reservationAt(row);
  }

  /** The reservation of the item made under `idempotencyKey`; no object is built on a miss. */
  findByIdempotencyKey(itemKey: string, idempotencyKey: string): Reservation | undefined {
    const row = this.#byIdempotencyKey.find(itemKey, idempotencyKey);
    return row < 0 ? undefined : this.#reservationAt(row);
  }

  /** Stores a new or changed reservation created by the event `creationSeq`, of item `itemIndex`. */
  put(creationSeq: number, reservation: Reservation, itemIndex: number): void {
    let row = this.#rowBySeq.get(creationSeq);
    const created = row === undefined;
    if (row === undefined) {
      row = this.#freeRows.pop() ?? this.#newRow();
      this.#rowBySeq.set(creationSeq, row);
      this.#setIdempotencyKey(row, reservation.idempotencyKey);
      if (reservation.orderId !== undefined) this.#orderIds.set(row, reservation.orderId);
    }
    const rows = this.#rowsOf(row);
    const at = fieldsAt(row);
    rows[at + seqField] = creationSeq;
    rows[at + itemField] = itemIndex;
    rows[at + quantityField] = reservation.quantity;
    rows[at + requestedField] = reservation.requestedQuantity;
    rows[at + ttlField] = reservation.ttlSeconds;
    rows[at + statusField] = statusCodes.indexOf(reservation.status);
    rows[at + createdAtField] = reservation.createdAtMs;
    rows[at + expiresAtField] = reservation.expiresAtMs;
    rows[at + updatedAtField] = reservation.updatedAtMs;
    rows[at + versionField] = reservation.version;
    if (reservation.adjustments.length > 0) this.#adjustments.set(row, reservation.adjustments);
    else if (!created) this.#adjustments.delete(row);
    if (created) this.#byIdempotencyKey.remember(row);
  }

  delete(creationSeq: number): void {
    const row = this.#rowBySeq.get(creationSeq);
    if (row === undefined) return;
    this.#byIdempotencyKey.forget(row);
    this.#rowBySeq.delete(creationSeq);
    this.#orderIds.delete(row);
    this.#adjustments.delete(row);
    this.#setIdempotencyKey(row, '');
    this.#freeRows.push(row);
  }

  /** Every reservation in creation order (snapshots, start-up): built, one object each. */
  values(): Reservation[] {
    return this.#rowBySeq.values().map((row) => this.#reservationAt(row));
  }

  #reservationAt(row: number): Reservation {
    const rows = this.#rowsOf(row);
    const at = fieldsAt(row);
    const orderId = this.#orderIds.get(row);
    const reservation: Reservation = {
      reservationId: formatReservationId(this.#partition, rows[at + seqField]!),
      itemKey: this.#items.keyAt(rows[at + itemField]!),
      idempotencyKey: this.#idempotencyKeyAt(row),
      ...(orderId !== undefined && { orderId }),
      quantity: rows[at + quantityField]!,
      requestedQuantity: rows[at + requestedField]!,
      ttlSeconds: rows[at + ttlField]!,
      status: statusCodes[rows[at + statusField]!]!,
      createdAtMs: rows[at + createdAtField]!,
      expiresAtMs: rows[at + expiresAtField]!,
      updatedAtMs: rows[at + updatedAtField]!,
      version: rows[at + versionField]!,
      adjustments: this.#adjustments.get(row) ?? noAdjustments,
    };
    return reservation;
  }

  #newRow(): number {
    const row = this.#rowCount++;
    if ((row & chunkRowMask) === 0) {
      this.#chunks.push({ rows: new Float64Array(chunkRows * rowFields), idempotencyKeys: [] });
    }
    this.#chunkOf(row).idempotencyKeys.push('');
    return row;
  }

  #chunkOf(row: number): Chunk {
    return this.#chunks[row >>> chunkRowsBits]!;
  }

  #rowsOf(row: number): Float64Array {
    return this.#chunkOf(row).rows;
  }

  #idempotencyKeyAt(row: number): string {
    return this.#chunkOf(row).idempotencyKeys[row & chunkRowMask]!;
  }

  #setIdempotencyKey(row: number, idempotencyKey: string): void {
    this.#chunkOf(row).idempotencyKeys[row & chunkRowMask] = idempotencyKey;
  }
}

/** Where a row's fields start in its chunk's rows. */
const fieldsAt = (row: number) => (row & chunkRowMask) * rowFields;
