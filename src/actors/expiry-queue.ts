/**
 * Reservation deadlines of one worker: a binary min-heap on expiresAtMs. Entries are never
 * removed early; a hold released or confirmed before its deadline is skipped when it comes due
 * (the Expire decision is a no-op for anything not HELD).
 */
export interface Deadline {
  readonly dueAtMs: number;
  readonly partition: number;
  readonly reservationId: string;
}

export class ExpiryQueue {
  readonly #heap: Deadline[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(deadline: Deadline): void {
    const heap = this.#heap;
    heap.push(deadline);
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (heap[parent]!.dueAtMs <= deadline.dueAtMs) break;
      heap[child] = heap[parent]!;
      child = parent;
    }
    heap[child] = deadline;
  }

  /** Removes and returns up to `limit` deadlines due at `nowMs`, earliest first. */
  popDue(nowMs: number, limit: number): Deadline[] {
    const due: Deadline[] = [];
    while (due.length < limit && this.#heap.length > 0 && this.#heap[0]!.dueAtMs <= nowMs) {
      due.push(this.#popTop());
    }
    return due;
  }

  #popTop(): Deadline {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && heap[right]!.dueAtMs < heap[left]!.dueAtMs ? right : left;
      if (heap[child]!.dueAtMs >= last.dueAtMs) break;
      heap[parent] = heap[child]!;
      parent = child;
    }
    heap[parent] = last;
    return top;
  }
}
