import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import { decodeWalRecord } from '../../src/checkpoint/wal-codec.ts';
import { type PartitionState, stateOf } from './partition-state.ts';

/**
 * What the disk holds, as the simulator saw it commit: per partition, the state as of its newest
 * committed event. A commit is one write-ahead record; when it lands, the memory of every
 * partition in it is exactly what was committed (a worker appends a batch's events before it
 * commits and commits everything appended), so its state is recorded then. After a crash the
 * engine must come back to exactly this: a batch decided but not committed vanishes, a batch
 * committed but not answered is there.
 */
export class DurableLedger {
  readonly #states = new Map<number, PartitionState>();

  constructor(partitionCount: number) {
    for (let partition = 0; partition < partitionCount; partition++) {
      this.#states.set(partition, {
        partition,
        lastSeq: 0,
        items: new Map(),
        reservations: new Map(),
        recentCommands: [],
      });
    }
  }

  get(partition: number): PartitionState {
    return this.#states.get(partition)!;
  }

  /**
   * A write-ahead record landed: records its partitions' states. Returns a problem if a
   * partition's memory is ahead of what the record commits (events decided and left out).
   */
  committed(record: Uint8Array, actorOf: (partition: number) => PartitionActor): string[] {
    const problems: string[] = [];
    // One entry per batch and partition: a group commit holds several of one partition.
    const committedSeqs = new Map<number, number>();
    for (const entry of decodeWalRecord(record)) {
      committedSeqs.set(entry.partition, entry.firstSeq + entry.eventCount - 1);
    }
    for (const [partition, committedSeq] of committedSeqs) {
      const actor = actorOf(partition);
      if (actor.nextSeq - 1 !== committedSeq) {
        problems.push(
          `partition ${partition} commits up to seq ${committedSeq} with memory at ${actor.nextSeq - 1}`,
        );
      }
      this.#states.set(partition, stateOf(actor));
    }
    return problems;
  }

  /** After a restart the recovered states are the reference (forgotten reservations aside). */
  reset(states: Iterable<PartitionState>): void {
    for (const state of states) this.#states.set(state.partition, state);
  }
}
