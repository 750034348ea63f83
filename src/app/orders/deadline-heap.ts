/**
 * When HELD orders expire: a binary min-heap on the deadline. Entries are only hints; the order's
 * partition decides (SettleOrder EXPIRED is a no-op for an order that is no longer HELD or not
 * due), so an order confirmed or cancelled before its deadline is simply skipped then.
 */
export class DeadlineHeap {
  readonly #heap: { readonly dueAtMs: number; readonly orderId: string }[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(orderId: string, dueAtMs: number): void {
    const heap = this.#heap;
    const entry = { dueAtMs, orderId };
    heap.push(entry);
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (heap[parent]!.dueAtMs <= dueAtMs) break;
      heap[child] = heap[parent]!;
      child = parent;
    }
    heap[child] = entry;
  }

  /** Removes and returns up to `limit` orderIds due at `nowMs`, earliest first. */
  popDue(nowMs: number, limit: number): string[] {
    const due: string[] = [];
    while (due.length < limit && this.#heap.length > 0 && this.#heap[0]!.dueAtMs <= nowMs) {
      due.push(this.#popTop());
    }
    return due;
  }

  #popTop(): string {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
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
    }
    return top.orderId;
  }
}
