import { hashOfText, ProbeTable } from './probe-table.ts';

/** How the index reads the rows it points at (reservation-table.ts). */
export interface IndexedRows {
  idempotencyKeyAt(row: number): string;
  itemKeyAt(row: number): string;
}

/** One reservation's row, or several under one key on different items of the partition. */
type Entry = number | number[];

/**
 * idempotencyKey → the row(s) of the reservation(s) made under it, in one partition. Keys are
 * scoped per item, but one order rarely touches two items of one partition, so the common case
 * is a single row and no composite key string is built. Every reserve looks its key up and
 * almost never finds it: a miss reads one slot (probe-table.ts).
 */
export class IdempotencyIndex {
  readonly #table = new ProbeTable<Entry>();
  readonly #rows: IndexedRows;
  readonly #hasKey = (entry: Entry, idempotencyKey: string) =>
    this.#rows.idempotencyKeyAt(typeof entry === 'number' ? entry : entry[0]!) === idempotencyKey;

  constructor(rows: IndexedRows) {
    this.#rows = rows;
  }

  get size(): number {
    return this.#table.size;
  }

  /** The row of the reservation of `itemKey` made under `idempotencyKey`; -1 if none. */
  find(itemKey: string, idempotencyKey: string): number {
    const slot = this.#table.find(hashOfText(idempotencyKey), this.#hasKey, idempotencyKey, 0);
    if (slot < 0) return -1;
    const entry = this.#table.valueAt(slot);
    if (typeof entry === 'number') return this.#rows.itemKeyAt(entry) === itemKey ? entry : -1;
    return entry.find((row) => this.#rows.itemKeyAt(row) === itemKey) ?? -1;
  }

  /** Indexes a reservation's row; one already indexed for its item and key is replaced. */
  remember(row: number): void {
    const key = this.#rows.idempotencyKeyAt(row);
    const itemKey = this.#rows.itemKeyAt(row);
    const hash = hashOfText(key);
    const slot = this.#table.find(hash, this.#hasKey, key, 0);
    if (slot < 0) {
      this.#table.insert(hash, row);
      return;
    }
    const entry = this.#table.valueAt(slot);
    const others = (typeof entry === 'number' ? [entry] : entry).filter(
      (other) => other !== row && this.#rows.itemKeyAt(other) !== itemKey,
    );
    this.#table.replaceAt(slot, others.length === 0 ? row : [...others, row]);
  }

  /** Unindexes a row, before the row is given to another reservation. */
  forget(row: number): void {
    const key = this.#rows.idempotencyKeyAt(row);
    const slot = this.#table.find(hashOfText(key), this.#hasKey, key, 0);
    if (slot < 0) return;
    const entry = this.#table.valueAt(slot);
    if (entry === row) {
      this.#table.removeAt(slot);
    } else if (typeof entry !== 'number') {
      const rest = entry.filter((other) => other !== row);
      this.#table.replaceAt(slot, rest.length === 1 ? rest[0]! : rest);
    }
  }
}
