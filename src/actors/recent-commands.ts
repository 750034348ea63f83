import { assert } from '../domain/assert.ts';
import { hashOfText, ProbeTable } from './probe-table.ts';

/** What a partition remembers of a command it applied. */
export interface RecentCommand {
  /** seq of the first event the command caused. */
  readonly seq: number;
  /** The command's fingerprint (domain/command-fingerprint.ts); undefined if recorded without. */
  readonly fingerprint: number | undefined;
}

/** A snapshot's form of one: [commandId, seq] or [commandId, seq, fingerprint]. */
export type RecentCommandEntry =
  | readonly [commandId: string, seq: number]
  | readonly [commandId: string, seq: number, fingerprint: number];

/** Stands for "no fingerprint" in the fingerprint column (fingerprints are unsigned). */
const unknownFingerprint = -1;

/**
 * The commandIds a partition applied most recently, each with the seq of the event it caused
 * and the fingerprint of its body. A batch producer's redelivery (same commandId, same body)
 * finds its command here and has no second effect; a commandId reused for another body is told
 * apart. Bounded: the window only has to outlast a consumer's uncommitted offsets.
 *
 * Kept as columns (ids, seqs, fingerprints) in insertion order, oldest first from `#head`: one
 * index slot and three array slots per command, no object per command on the hot path. The
 * index holds each id's absolute position; `#dropped` positions have been compacted away in
 * front.
 */
export class RecentCommands {
  /** commandId → its absolute position (probe-table.ts: a miss reads one slot). */
  readonly #positionById = new ProbeTable<number>();
  readonly #ids: string[] = [];
  readonly #seqs: number[] = [];
  readonly #fingerprints: number[] = [];
  #head = 0;
  #dropped = 0;
  readonly #capacity: number;

  readonly #isAt = (position: number, commandId: string) =>
    this.#ids[position - this.#dropped] === commandId;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Allocates only for a remembered commandId: a redelivery or a reuse, both rare. */
  find(commandId: string): RecentCommand | undefined {
    const slot = this.#positionById.find(hashOfText(commandId), this.#isAt, commandId, undefined);
    if (slot < 0) return undefined;
    const index = this.#positionById.valueAt(slot) - this.#dropped;
    const fingerprint = this.#fingerprints[index]!;
    return {
      seq: this.#seqs[index]!,
      fingerprint: fingerprint === unknownFingerprint ? undefined : fingerprint,
    };
  }

  remember(commandId: string, seq: number, fingerprint: number | undefined): void {
    if (this.#capacity === 0) return;
    const hash = hashOfText(commandId);
    if (this.#positionById.find(hash, this.#isAt, commandId, undefined) >= 0) return;
    this.#positionById.insert(hash, this.#dropped + this.#ids.length);
    this.#ids.push(commandId);
    this.#seqs.push(seq);
    this.#fingerprints.push(fingerprint ?? unknownFingerprint);
    if (this.#ids.length - this.#head > this.#capacity) {
      const oldest = this.#ids[this.#head]!;
      const slot = this.#positionById.find(hashOfText(oldest), this.#isAt, oldest, undefined);
      assert(slot >= 0, 'every remembered commandId is indexed');
      this.#positionById.removeAt(slot);
      this.#head++;
      if (this.#head > 4096 && this.#head * 2 > this.#ids.length) this.#compact();
    }
  }

  /** Oldest first, for snapshots. */
  entries(): RecentCommandEntry[] {
    const entries: RecentCommandEntry[] = [];
    for (let i = this.#head; i < this.#ids.length; i++) {
      const fingerprint = this.#fingerprints[i]!;
      entries.push(
        fingerprint === unknownFingerprint
          ? [this.#ids[i]!, this.#seqs[i]!]
          : [this.#ids[i]!, this.#seqs[i]!, fingerprint],
      );
    }
    return entries;
  }

  #compact(): void {
    this.#ids.splice(0, this.#head);
    this.#seqs.splice(0, this.#head);
    this.#fingerprints.splice(0, this.#head);
    this.#dropped += this.#head;
    this.#head = 0;
  }
}
