import { formatReservationId } from '../domain/reservation-id.ts';

/** A reservation's deadline, as the expiry and retention queues give it back. */
export interface Deadline {
  readonly dueAtMs: number;
  readonly partition: number;
  readonly reservationId: string;
}

/** A hold's deadline as it is queued: the hold named by its partition and creation seq. */
export interface HoldDeadline {
  readonly dueAtMs: number;
  readonly partition: number;
  readonly creationSeq: number;
}

const initialCapacity = 1024;

/**
 * Reservation deadlines of one worker, on expiresAtMs: a hold released or confirmed before its
 * deadline is skipped when it comes due (the Expire decision is a no-op for anything not HELD).
 *
 * A binary min-heap in typed arrays (due time, partition, creation seq): every client hold has
 * an entry for as long as it is held, and an object per entry — with its id string and its time
 * boxed as a heap number — was most of what a worker kept alive per reserve, copied by the young
 * generation's collector and traced by every full one. An entry's id is formatted when it comes
 * due.
 */
export class ExpiryQueue {
  #dueAtMs = new Float64Array(initialCapacity);
  #partitions = new Uint32Array(initialCapacity);
  #seqs = new Float64Array(initialCapacity);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(deadline: HoldDeadline): void {
    if (this.#size === this.#dueAtMs.length) this.#grow();
    const dueAtMs = deadline.dueAtMs;
    let child = this.#size++;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.#dueAtMs[parent]! <= dueAtMs) break;
      this.#move(parent, child);
      child = parent;
    }
    this.#set(child, dueAtMs, deadline.partition, deadline.creationSeq);
  }

  /** Removes and returns up to `limit` deadlines due at `nowMs`, earliest first. */
  popDue(nowMs: number, limit: number): Deadline[] {
    const due: Deadline[] = [];
    while (due.length < limit && this.#size > 0 && this.#dueAtMs[0]! <= nowMs) {
      due.push({
        dueAtMs: this.#dueAtMs[0]!,
        partition: this.#partitions[0]!,
        reservationId: formatReservationId(this.#partitions[0]!, this.#seqs[0]!),
      });
      this.#removeTop();
    }
    return due;
  }

  #removeTop(): void {
    const last = --this.#size;
    if (last === 0) return;
    const dueAtMs = this.#dueAtMs[last]!;
    const partition = this.#partitions[last]!;
    const seq = this.#seqs[last]!;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.#dueAtMs[right]! < this.#dueAtMs[left]! ? right : left;
      if (this.#dueAtMs[child]! >= dueAtMs) break;
      this.#move(child, parent);
      parent = child;
    }
    this.#set(parent, dueAtMs, partition, seq);
  }

  #move(from: number, to: number): void {
    this.#set(to, this.#dueAtMs[from]!, this.#partitions[from]!, this.#seqs[from]!);
  }

  #set(at: number, dueAtMs: number, partition: number, seq: number): void {
    this.#dueAtMs[at] = dueAtMs;
    this.#partitions[at] = partition;
    this.#seqs[at] = seq;
  }

  #grow(): void {
    const capacity = this.#dueAtMs.length * 2;
    const dueAtMs = new Float64Array(capacity);
    const partitions = new Uint32Array(capacity);
    const seqs = new Float64Array(capacity);
    dueAtMs.set(this.#dueAtMs);
    partitions.set(this.#partitions);
    seqs.set(this.#seqs);
    this.#dueAtMs = dueAtMs;
    this.#partitions = partitions;
    this.#seqs = seqs;
  }
}
