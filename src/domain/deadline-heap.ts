/**
 * Deadlines in a binary min-heap on `dueAtMs`. Entries are never removed early: what settled
 * before its deadline is skipped when it comes due, because the decision it leads to (Expire,
 * an order's expiry) is a no-op for anything no longer due. Used by each worker for its holds and
 * by the order coordinator for orders.
 */
export class DeadlineHeap<T extends { readonly dueAtMs: number }> {
  readonly #heap: T[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(entry: T): void {
    const heap = this.#heap;
    heap.push(entry);
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (heap[parent]!.dueAtMs <= entry.dueAtMs) break;
      heap[child] = heap[parent]!;
      child = parent;
    }
    heap[child] = entry;
  }

  /** Removes and returns up to `limit` entries due at `nowMs`, earliest first. */
  popDue(nowMs: number, limit: number): T[] {
    const due: T[] = [];
    while (due.length < limit && this.#heap.length > 0 && this.#heap[0]!.dueAtMs <= nowMs) {
      due.push(this.#popTop());
    }
    return due;
  }

  #popTop(): T {
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
