/**
 * One saga at a time per order: every use case of an order (and its expiry, and its recovery)
 * runs after the previous one of the same order has finished, so two steps of one order never
 * interleave. Orders are independent of each other: different orders never wait for one another.
 */
export class OrderLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier `run` of the same order has settled. */
  run<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(orderId);
    const result = previous === undefined ? work() : previous.then(work);
    const tail = result.then(noop, noop);
    this.#tails.set(orderId, tail);
    tail.then(() => {
      if (this.#tails.get(orderId) === tail) this.#tails.delete(orderId);
    });
    return result;
  }

  /** Orders with work under way or waiting. */
  get size(): number {
    return this.#tails.size;
  }

  /** Resolves when everything started so far has settled. */
  async whenIdle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}

function noop(): void {}
