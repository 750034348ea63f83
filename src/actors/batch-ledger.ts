/**
 * Which of a worker's decided batches reached the disk. Batches are numbered as they are decided;
 * a commit covers every batch decided before it, and a failed commit loses every batch not yet
 * on disk — those in it and those decided behind it — for good, even once commits succeed again
 * (the partitions they touched are reloaded without them).
 *
 *   decided:  1 2 3 4 5 6 7
 *   durable:  1 2 3            a commit covering 4…6 fails: 4, 5, 6 lost
 *   durable:  1 2 3 . . . 7    the next commit covers 7
 */
export class BatchLedger {
  #decided = 0;
  #durableThrough = 0;
  /** Per failed commit, the batches it lost: numbers above the first, up to the second. */
  readonly #lost: (readonly [number, number])[] = [];

  /** Numbers a newly decided batch. */
  decided(): number {
    return ++this.#decided;
  }

  /** The number of the last batch decided. */
  get last(): number {
    return this.#decided;
  }

  /** A commit landed that covered every batch up to `through`. */
  committed(through: number): void {
    this.#durableThrough = Math.max(this.#durableThrough, through);
  }

  /** A commit failed: every batch decided and not yet on disk is lost. */
  failed(): void {
    if (this.#decided === this.#durableThrough) return;
    this.#lost.push([this.#durableThrough, this.#decided]);
    // Lost batches are answered within a commit or two; the oldest ranges are long settled.
    if (this.#lost.length > 64) this.#lost.shift();
  }

  isDurable(batch: number): boolean {
    if (batch > this.#durableThrough) return false;
    for (const [after, through] of this.#lost) {
      if (batch > after && batch <= through) return false;
    }
    return true;
  }
}
