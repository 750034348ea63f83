import type { Reservation } from '../domain/reservation.ts';
import { hashOfText, ProbeTable } from './probe-table.ts';

/** One reservation, or several under one key on different items of the partition. */
type Entry = Reservation | Reservation[];

/**
 * idempotencyKey → the reservation(s) made under it, in one partition. Keys are scoped per
 * item, but one order rarely touches two items of one partition, so the common case is a
 * single reservation and no composite key string is built. Every reserve looks its key up and
 * almost never finds it: a miss reads one slot (probe-table.ts).
 */
export class IdempotencyIndex {
  readonly #table = new ProbeTable<Entry>();

  get size(): number {
    return this.#table.size;
  }

  find(itemKey: string, idempotencyKey: string): Reservation | undefined {
    const slot = this.#table.find(hashOfText(idempotencyKey), hasKey, idempotencyKey, undefined);
    if (slot < 0) return undefined;
    const entry = this.#table.valueAt(slot);
    if (!Array.isArray(entry)) return entry.itemKey === itemKey ? entry : undefined;
    return entry.find((reservation) => reservation.itemKey === itemKey);
  }

  /** Indexes a new or changed reservation (a change replaces the previous object). */
  remember(reservation: Reservation): void {
    const key = reservation.idempotencyKey;
    const hash = hashOfText(key);
    const slot = this.#table.find(hash, hasKey, key, undefined);
    if (slot < 0) {
      this.#table.insert(hash, reservation);
      return;
    }
    const entry = this.#table.valueAt(slot);
    if (!Array.isArray(entry) && entry.itemKey === reservation.itemKey) {
      this.#table.replaceAt(slot, reservation);
      return;
    }
    const others = (Array.isArray(entry) ? entry : [entry]).filter(
      (other) => other.itemKey !== reservation.itemKey,
    );
    this.#table.replaceAt(slot, others.length === 0 ? reservation : [...others, reservation]);
  }

  forget(reservation: Reservation): void {
    const key = reservation.idempotencyKey;
    const slot = this.#table.find(hashOfText(key), hasKey, key, undefined);
    if (slot < 0) return;
    const entry = this.#table.valueAt(slot);
    if (entry === reservation) {
      this.#table.removeAt(slot);
    } else if (Array.isArray(entry)) {
      const rest = entry.filter((other) => other !== reservation);
      this.#table.replaceAt(slot, rest.length === 1 ? rest[0]! : rest);
    }
  }
}

function hasKey(entry: Entry, idempotencyKey: string): boolean {
  return (Array.isArray(entry) ? entry[0]! : entry).idempotencyKey === idempotencyKey;
}
