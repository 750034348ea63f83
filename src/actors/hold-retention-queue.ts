import { formatReservationId } from '../domain/reservation-id.ts';
import type { Deadline, HoldDeadline } from './expiry-queue.ts';

const initialCapacity = 1024;

/**
 * Settled holds waiting out their retention (idempotency records are kept at least that long).
 * Settlement times only grow, so a FIFO is already sorted: O(1) per hold. A ring of typed arrays
 * (due time, partition, creation seq) rather than an object per hold, for the reason the expiry
 * queue is one (expiry-queue.ts): every settled hold waits here for a day by default. Bounded:
 * past `capacity`, the oldest settled holds are forgotten early.
 */
export class HoldRetentionQueue {
  #dueAtMs = new Float64Array(initialCapacity);
  #partitions = new Uint32Array(initialCapacity);
  #seqs = new Float64Array(initialCapacity);
  #head = 0;
  #size = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  push(deadline: HoldDeadline): void {
    if (this.#size === this.#dueAtMs.length) this.#grow();
    const at = (this.#head + this.#size) & (this.#dueAtMs.length - 1);
    this.#dueAtMs[at] = deadline.dueAtMs;
    this.#partitions[at] = deadline.partition;
    this.#seqs[at] = deadline.creationSeq;
    this.#size++;
  }

  /** Deadlines that are due, or beyond capacity, oldest first. */
  popDue(nowMs: number, limit: number): Deadline[] {
    const due: Deadline[] = [];
    const mask = this.#dueAtMs.length - 1;
    while (due.length < limit && this.#size > 0) {
      const at = this.#head;
      if (this.#dueAtMs[at]! > nowMs && this.#size <= this.#capacity) break;
      due.push({
        dueAtMs: this.#dueAtMs[at]!,
        partition: this.#partitions[at]!,
        reservationId: formatReservationId(this.#partitions[at]!, this.#seqs[at]!),
      });
      this.#head = (at + 1) & mask;
      this.#size--;
    }
    return due;
  }

  /** Twice the room (called when full), the ring unrolled from its head. */
  #grow(): void {
    this.#dueAtMs = unrolled(this.#dueAtMs, new Float64Array(this.#dueAtMs.length * 2), this.#head);
    this.#partitions = unrolled(
      this.#partitions,
      new Uint32Array(this.#partitions.length * 2),
      this.#head,
    );
    this.#seqs = unrolled(this.#seqs, new Float64Array(this.#seqs.length * 2), this.#head);
    this.#head = 0;
  }
}

/** `to` with a full ring `from` in order from `head`: the part from `head`, then the part before. */
function unrolled<T extends Float64Array | Uint32Array>(from: T, to: T, head: number): T {
  to.set(from.subarray(head));
  to.set(from.subarray(0, head), from.length - head);
  return to;
}
