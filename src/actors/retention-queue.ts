import type { Deadline } from './expiry-queue.ts';

/**
 * Settled orders waiting out their retention (as settled holds do: hold-retention-queue.ts).
 * Settlement times only grow, so a FIFO is already sorted: O(1) per entry. Bounded: past
 * `capacity`, the oldest are forgotten early.
 */
export class RetentionQueue<D extends { readonly dueAtMs: number } = Deadline> {
  #entries: D[] = [];
  #head = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  push(deadline: D): void {
    this.#entries.push(deadline);
  }

  /** Deadlines that are due, or beyond capacity, oldest first. */
  popDue(nowMs: number, limit: number): D[] {
    const due: D[] = [];
    while (due.length < limit && this.size > 0) {
      const head = this.#entries[this.#head]!;
      if (head.dueAtMs > nowMs && this.size <= this.#capacity) break;
      due.push(head);
      this.#head++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    return due;
  }
}
