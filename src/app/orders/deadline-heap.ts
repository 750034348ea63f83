import { DeadlineHeap as Heap } from '../../domain/deadline-heap.ts';

/**
 * When HELD orders expire. Entries are only hints; the order's partition decides (SettleOrder
 * EXPIRED is a no-op for an order that is no longer HELD or not due), so an order confirmed or
 * cancelled before its deadline is simply skipped then.
 */
export class DeadlineHeap {
  readonly #heap = new Heap<{ readonly dueAtMs: number; readonly orderId: string }>();

  get size(): number {
    return this.#heap.size;
  }

  push(orderId: string, dueAtMs: number): void {
    this.#heap.push({ dueAtMs, orderId });
  }

  /** Removes and returns up to `limit` orderIds due at `nowMs`, earliest first. */
  popDue(nowMs: number, limit: number): string[] {
    return this.#heap.popDue(nowMs, limit).map((entry) => entry.orderId);
  }
}
