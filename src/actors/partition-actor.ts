import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import { assert } from '../domain/assert.ts';
import { isReservationEvent } from '../domain/events.ts';
import { evolveItem, evolveReservation } from '../domain/evolve.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import type { Reservation } from '../domain/reservation.ts';
import { type ItemColumns, ItemTable } from './item-table.ts';

/** Everything a partition holds, as a snapshot stores it. */
export interface PartitionImage {
  readonly partition: number;
  /** seq of the newest event the image includes (0: none). */
  readonly lastSeq: number;
  readonly items: ItemColumns;
  readonly reservations: readonly Reservation[];
}

/**
 * The actors of one partition: all its items and their reservations, owned by one worker thread.
 * State changes only through `apply`, on the live path and in replay alike.
 */
export class PartitionActor {
  readonly partition: number;
  readonly items: ItemTable;
  readonly reservations = new Map<string, Reservation>();
  /** `itemKey \n idempotencyKey` → the reservation made under that key on that item. */
  readonly #byIdempotencyKey = new Map<string, Reservation>();
  #nextSeq: number;

  constructor(partition: number, items = new ItemTable(), nextSeq = 1) {
    this.partition = partition;
    this.items = items;
    this.#nextSeq = nextSeq;
  }

  static fromImage(image: PartitionImage): PartitionActor {
    const actor = new PartitionActor(
      image.partition,
      ItemTable.fromColumns(image.items),
      image.lastSeq + 1,
    );
    for (const reservation of image.reservations) actor.#remember(reservation);
    return actor;
  }

  /** seq the next event of this partition gets. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  image(): PartitionImage {
    return {
      partition: this.partition,
      lastSeq: this.#nextSeq - 1,
      items: this.items.columns(),
      reservations: [...this.reservations.values()],
    };
  }

  reservationByIdempotencyKey(itemKey: string, idempotencyKey: string): Reservation | undefined {
    return this.#byIdempotencyKey.get(idempotencyIndexKey(itemKey, idempotencyKey));
  }

  /** Applies one event; returns the reservation it created or changed, if any. */
  apply(event: LoggedEvent): Reservation | undefined {
    assert(event.partition === this.partition, 'event belongs to this partition');
    assert(event.seq === this.#nextSeq, `partition ${this.partition} expects seq ${this.#nextSeq}`);
    const itemKey = itemKeyOf(event.sku, event.warehouseId);
    let index = this.items.indexOf(itemKey);
    const before = index === undefined ? undefined : this.items.read(index);
    const previousSeq = index === undefined ? 0 : this.items.lastSeqAt(index);
    assert(event.itemPreviousSeq === previousSeq, `item chain broken at seq ${event.seq}`);
    const after = evolveItem(before, event);
    index ??= this.items.add(itemKey);
    this.items.write(index, after, event.seq);
    this.#nextSeq = event.seq + 1;
    if (!isReservationEvent(event)) return undefined;
    const next = evolveReservation(this.reservations.get(event.reservationId), event, itemKey);
    assert(next !== undefined, `reservation ${event.reservationId} exists`);
    this.#remember(next);
    return next;
  }

  /** Drops a settled reservation past its retention; later lookups answer "not found". */
  forget(reservationId: string): void {
    const reservation = this.reservations.get(reservationId);
    if (reservation === undefined) return;
    assert(reservation.status !== 'HELD', 'a held reservation is never forgotten');
    this.reservations.delete(reservationId);
    const key = idempotencyIndexKey(reservation.itemKey, reservation.idempotencyKey);
    if (this.#byIdempotencyKey.get(key) === reservation) this.#byIdempotencyKey.delete(key);
  }

  #remember(reservation: Reservation): void {
    this.reservations.set(reservation.reservationId, reservation);
    const key = idempotencyIndexKey(reservation.itemKey, reservation.idempotencyKey);
    this.#byIdempotencyKey.set(key, reservation);
  }
}

// Idempotency keys are printable ASCII, so a newline cannot occur in either part.
function idempotencyIndexKey(itemKey: string, idempotencyKey: string): string {
  return `${itemKey}\n${idempotencyKey}`;
}
