import { evolveOrder } from '../domain/evolve-order.ts';
import { hasUnfinishedWork, type Order } from '../domain/order.ts';
import type { OrderEvent } from '../domain/order-events.ts';

/**
 * The orders of one partition (those whose orderId hashes to it). It also knows which of them
 * have unfinished work — a placement, change or settlement that a crash interrupted — so that
 * start-up finds them without a scan.
 */
export class OrderBook {
  readonly #orders = new Map<string, Order>();
  readonly #unfinished = new Set<string>();

  get size(): number {
    return this.#orders.size;
  }

  get(orderId: string): Order | undefined {
    return this.#orders.get(orderId);
  }

  values(): IterableIterator<Order> {
    return this.#orders.values();
  }

  /** Orders whose saga is half done, oldest first. */
  unfinished(): Order[] {
    return [...this.#unfinished].map((orderId) => this.#orders.get(orderId)!);
  }

  /** Applies one event of the order (evolveOrder asserts it follows); returns the order after. */
  apply(event: OrderEvent): Order {
    const order = evolveOrder(this.#orders.get(event.orderId), event);
    this.#put(order);
    return order;
  }

  /** Drops a settled order past its retention; later lookups answer "not found". */
  forget(orderId: string): void {
    const order = this.#orders.get(orderId);
    if (order === undefined || hasUnfinishedWork(order) || order.status === 'HELD') return;
    this.#orders.delete(orderId);
  }

  static from(orders: readonly Order[]): OrderBook {
    const book = new OrderBook();
    for (const order of orders) book.#put(order);
    return book;
  }

  #put(order: Order): void {
    this.#orders.set(order.orderId, order);
    if (hasUnfinishedWork(order)) this.#unfinished.add(order.orderId);
    else this.#unfinished.delete(order.orderId);
  }
}
