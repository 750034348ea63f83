/**
 * The commandIds a partition applied most recently, each with the seq of the event it caused.
 * A batch producer's redelivery (same commandId) finds its command here and has no second
 * effect. Bounded: the window only has to outlast a consumer's uncommitted offsets.
 */
export class RecentCommands {
  readonly #seqByCommandId = new Map<string, number>();
  readonly #order: string[] = [];
  #head = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  seqOf(commandId: string): number | undefined {
    return this.#seqByCommandId.get(commandId);
  }

  remember(commandId: string, seq: number): void {
    if (this.#capacity === 0 || this.#seqByCommandId.has(commandId)) return;
    this.#seqByCommandId.set(commandId, seq);
    this.#order.push(commandId);
    if (this.#order.length - this.#head > this.#capacity) {
      this.#seqByCommandId.delete(this.#order[this.#head]!);
      this.#head++;
      if (this.#head > 4096 && this.#head * 2 > this.#order.length) {
        this.#order.splice(0, this.#head);
        this.#head = 0;
      }
    }
  }

  /** Oldest first, for snapshots. */
  entries(): [commandId: string, seq: number][] {
    return this.#order.slice(this.#head).map((id) => [id, this.#seqByCommandId.get(id)!]);
  }
}
