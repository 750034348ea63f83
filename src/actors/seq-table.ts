/** Slots per page: small, so that one long-lived value keeps little memory alive. */
const pageSize = 64;

interface Page<V> {
  readonly slots: (V | undefined)[];
  live: number;
}

/**
 * Values by an increasing integer key — a reservation by the seq of the event that created it.
 * Keys arrive in order and mostly leave in order, so they are kept in pages of consecutive keys:
 * a lookup is one lookup in a small map of pages and one array read, where a Map of every key
 * hashes into a table as large as the partition's reservations. A page goes once its last
 * value does. Iterates in key order.
 */
export class SeqTable<V> {
  readonly #pages = new Map<number, Page<V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: number): V | undefined {
    return this.#pages.get(Math.floor(key / pageSize))?.slots[key % pageSize];
  }

  set(key: number, value: V): void {
    const pageNumber = Math.floor(key / pageSize);
    let page = this.#pages.get(pageNumber);
    if (page === undefined) {
      page = { slots: new Array(pageSize).fill(undefined), live: 0 };
      this.#pages.set(pageNumber, page);
    }
    const slot = key % pageSize;
    if (page.slots[slot] === undefined) {
      page.live++;
      this.#size++;
    }
    page.slots[slot] = value;
  }

  delete(key: number): void {
    const pageNumber = Math.floor(key / pageSize);
    const page = this.#pages.get(pageNumber);
    const slot = key % pageSize;
    if (page === undefined || page.slots[slot] === undefined) return;
    page.slots[slot] = undefined;
    this.#size--;
    if (--page.live === 0) this.#pages.delete(pageNumber);
  }

  /**
   * Every value, in the order pages were made: key order, as keys are first set in increasing
   * order. An array, not a generator: snapshots take all of them, and a generator costs a
   * resumption per value.
   */
  values(): V[] {
    const values: V[] = [];
    for (const page of this.#pages.values()) {
      for (const value of page.slots) if (value !== undefined) values.push(value);
    }
    return values;
  }
}
