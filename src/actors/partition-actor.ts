import type { LogEntry, LoggedEvent, LoggedOrderEvent } from '../checkpoint/logged-event.ts';
import { assert } from '../domain/assert.ts';
import { isReservationEvent } from '../domain/events.ts';
import { evolveItem, evolveReservation } from '../domain/evolve.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import type { Order } from '../domain/order.ts';
import { isOrderEvent } from '../domain/order-events.ts';
import type { Reservation } from '../domain/reservation.ts';
import { creationSeqOf, parseReservationId } from '../domain/reservation-id.ts';
import { ItemTable, type ItemTableContents } from './item-table.ts';
import { OrderBook } from './order-book.ts';
import { type RecentCommand, type RecentCommandEntry, RecentCommands } from './recent-commands.ts';
import { ReservationTable } from './reservation-table.ts';

export interface PartitionActorOptions {
  /** commandIds remembered per partition for deduplicating redelivered commands. */
  readonly recentCommandsMax: number;
}

const defaultActorOptions: PartitionActorOptions = { recentCommandsMax: 10_000 };

/** Everything a partition holds, as a snapshot stores it. */
export interface PartitionImage {
  readonly partition: number;
  /** seq of the newest event the image includes (0: none). */
  readonly lastSeq: number;
  readonly items: ItemTableContents;
  readonly reservations: readonly Reservation[];
  /** Recently applied commandIds with the seq of their event and their fingerprint, oldest first. */
  readonly recentCommands: readonly RecentCommandEntry[];
  /** The orders whose orderId hashes to this partition. */
  readonly orders: readonly Order[];
}

/**
 * The actors of one partition: all its items and their reservations, owned by one worker thread.
 * State changes only through `apply`, on the live path and in replay alike.
 */
export class PartitionActor {
  readonly partition: number;
  readonly items: ItemTable;
  /** Orders live on their orderId's partition; their lines are holds on their items' partitions. */
  readonly orders: OrderBook;
  /** Keyed by the seq of the event that created the reservation (its id names that seq). */
  readonly #reservations: ReservationTable;
  readonly #recentCommands: RecentCommands;
  #nextSeq: number;

  constructor(
    partition: number,
    options: PartitionActorOptions = defaultActorOptions,
    items = new ItemTable(),
    nextSeq = 1,
    orders = new OrderBook(),
  ) {
    this.partition = partition;
    this.items = items;
    this.orders = orders;
    this.#reservations = new ReservationTable(partition, items);
    this.#nextSeq = nextSeq;
    this.#recentCommands = new RecentCommands(options.recentCommandsMax);
  }

  static fromImage(
    image: PartitionImage,
    options: PartitionActorOptions = defaultActorOptions,
  ): PartitionActor {
    const actor = new PartitionActor(
      image.partition,
      options,
      ItemTable.fromContents(image.items),
      image.lastSeq + 1,
      OrderBook.from(image.orders),
    );
    for (const reservation of image.reservations) {
      const itemIndex = actor.items.indexOf(reservation.itemKey);
      assert(itemIndex !== undefined, () => `the item of ${reservation.reservationId} is imaged`);
      actor.#reservations.put(creationSeqOf(reservation.reservationId), reservation, itemIndex);
    }
    for (const [commandId, seq, fingerprint] of image.recentCommands) {
      actor.#recentCommands.remember(commandId, seq, fingerprint);
    }
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
      items: this.items.contents(),
      reservations: this.#reservations.values(),
      recentCommands: this.#recentCommands.entries(),
      orders: [...this.orders.values()],
    };
  }

  /** What this partition remembers of the command `commandId`, if it applied it recently. */
  recentCommand(commandId: string): RecentCommand | undefined {
    return this.#recentCommands.find(commandId);
  }

  reservation(reservationId: string): Reservation | undefined {
    const parsed = parseReservationId(reservationId);
    if (parsed === undefined || parsed.partition !== this.partition) return undefined;
    return this.#reservations.get(parsed.seq);
  }

  reservations(): readonly Reservation[] {
    return this.#reservations.values();
  }

  get reservationCount(): number {
    return this.#reservations.size;
  }

  reservationByIdempotencyKey(itemKey: string, idempotencyKey: string): Reservation | undefined {
    return this.#reservations.findByIdempotencyKey(itemKey, idempotencyKey);
  }

  /**
   * Applies one event; returns the reservation it created or changed, if any. The live path
   * passes the item's row it already looked up; replay lets it be found.
   */
  apply(
    event: LoggedEvent,
    itemIndex = this.items.indexOfItem(event.sku, event.warehouseId),
  ): Reservation | undefined {
    assert(event.partition === this.partition, 'event belongs to this partition');
    assert(
      event.seq === this.#nextSeq,
      () => `partition ${this.partition} expects seq ${this.#nextSeq}`,
    );
    let index = itemIndex;
    const before = index === undefined ? undefined : this.items.read(index);
    const previousSeq = index === undefined ? 0 : this.items.lastSeqAt(index);
    assert(event.itemPreviousSeq === previousSeq, () => `item chain broken at seq ${event.seq}`);
    const after = evolveItem(before, event);
    index ??= this.items.add(itemKeyOf(event.sku, event.warehouseId));
    this.items.write(index, after, event.seq);
    this.#nextSeq = event.seq + 1;
    if (event.commandId !== undefined) {
      this.#recentCommands.remember(event.commandId, event.seq, event.commandFingerprint);
    }
    if (!isReservationEvent(event)) return undefined;
    // A reservation is created by StockReserved, whose seq its id names: nothing to look up.
    const creationSeq =
      event.type === 'StockReserved' ? event.seq : creationSeqOf(event.reservationId);
    const current =
      event.type === 'StockReserved' ? undefined : this.#reservations.get(creationSeq);
    // The item's own key string: every reservation of an item shares it.
    const next = evolveReservation(current, event, this.items.keyAt(index));
    assert(next !== undefined, () => `reservation ${event.reservationId} exists`);
    this.#reservations.put(creationSeq, next, index);
    return next;
  }

  /** Replay: any entry of the log, item event or order event. */
  applyEntry(entry: LogEntry): void {
    if (isOrderEvent(entry)) this.applyOrderEvent(entry);
    else this.apply(entry);
  }

  /** Applies one event of an order of this partition; returns the order after it. */
  applyOrderEvent(event: LoggedOrderEvent): Order {
    assert(event.partition === this.partition, 'event belongs to this partition');
    assert(
      event.seq === this.#nextSeq,
      () => `partition ${this.partition} expects seq ${this.#nextSeq}`,
    );
    this.#nextSeq = event.seq + 1;
    return this.orders.apply(event);
  }

  /** Drops a settled reservation past its retention; later lookups answer "not found". */
  forget(reservationId: string): void {
    const creationSeq = creationSeqOf(reservationId);
    const reservation = this.#reservations.get(creationSeq);
    if (reservation === undefined) return;
    assert(reservation.status !== 'HELD', 'a held reservation is never forgotten');
    this.#reservations.delete(creationSeq);
  }
}
