/**
 * How far PostgreSQL is behind the events topic, per Kafka partition, in events and in seconds.
 * Pure bookkeeping over what the projector learns (fetches, its commits, the runs it is about
 * to apply) and what a poll of the topic and the group's offsets says, so that the lag keeps
 * growing while the projector is stuck or stopped:
 *
 *   events   newest offset on the topic − newest offset applied (both only grow: a fetch, a
 *            commit and a poll each report what they saw; the largest value wins)
 *   seconds  now − time of the oldest event not applied yet: the first event of the run in
 *            hand when the projector has it; otherwise a lower bound, since the partition was
 *            last known to be applied up to where it was
 */
export interface PartitionLag {
  readonly events: number;
  readonly seconds: number;
}

export interface ProjectionLagSnapshot {
  readonly totalEvents: number;
  /** The largest of the partitions'. */
  readonly seconds: number;
  readonly byPartition: ReadonlyMap<number, PartitionLag>;
}

interface Position {
  newest: number;
  applied: number;
  /** The oldest event known not to be applied: the first of the run in hand. */
  pending?: { offset: number; timestampMs: number } | undefined;
  /** Behind, with nothing before this time left unapplied (when `pending` is unknown). */
  behindSinceMs?: number | undefined;
}

export interface ProjectionLag {
  /** The partition's newest offset is at least `newestOffset`, and applied up to `appliedOffset`. */
  seen(partition: number, newestOffset: number, appliedOffset: number): void;
  /** A run starting at `offset`, whose first event happened at `timestampMs`, awaits PostgreSQL. */
  waiting(partition: number, offset: number, timestampMs: number): void;
  /** A transaction committed the partition up to `appliedOffset`. */
  applied(partition: number, appliedOffset: number): void;
  snapshot(): ProjectionLagSnapshot;
}

export function createProjectionLag(nowMs: () => number): ProjectionLag {
  const positions = new Map<number, Position>();
  const positionOf = (partition: number): Position => {
    let position = positions.get(partition);
    if (position === undefined) {
      position = { newest: -1, applied: -1 };
      positions.set(partition, position);
    }
    return position;
  };
  const settle = (position: Position) => {
    if (position.applied >= position.newest) {
      position.pending = undefined;
      position.behindSinceMs = undefined;
      return;
    }
    if (position.pending !== undefined && position.pending.offset <= position.applied) {
      position.pending = undefined;
    }
    position.behindSinceMs ??= nowMs();
  };
  const apply = (position: Position, appliedOffset: number) => {
    if (appliedOffset <= position.applied) return;
    position.applied = appliedOffset;
    // Everything up to here is in PostgreSQL as of now: what is left is younger than that.
    position.behindSinceMs = nowMs();
  };
  const lagOf = (position: Position): PartitionLag => {
    const events = Math.max(0, position.newest - position.applied);
    if (events === 0) return { events, seconds: 0 };
    const sinceMs = position.pending?.timestampMs ?? position.behindSinceMs ?? nowMs();
    return { events, seconds: Math.max(0, nowMs() - sinceMs) / 1000 };
  };

  return {
    seen(partition, newestOffset, appliedOffset) {
      const position = positionOf(partition);
      position.newest = Math.max(position.newest, newestOffset);
      apply(position, appliedOffset);
      settle(position);
    },
    waiting(partition, offset, timestampMs) {
      const position = positionOf(partition);
      position.newest = Math.max(position.newest, offset);
      if (offset > position.applied) position.pending = { offset, timestampMs };
      settle(position);
    },
    applied(partition, appliedOffset) {
      const position = positionOf(partition);
      position.newest = Math.max(position.newest, appliedOffset);
      apply(position, appliedOffset);
      settle(position);
    },
    snapshot() {
      const byPartition = new Map<number, PartitionLag>();
      let totalEvents = 0;
      let seconds = 0;
      for (const [partition, position] of positions) {
        const lag = lagOf(position);
        byPartition.set(partition, lag);
        totalEvents += lag.events;
        seconds = Math.max(seconds, lag.seconds);
      }
      return { totalEvents, seconds, byPartition };
    },
  };
}
