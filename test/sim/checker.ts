import type { PartitionActorOptions } from '../../src/actors/partition-actor.ts';
import { recoverPartition } from '../../src/actors/recovery.ts';
import { readPartitionLog } from '../../src/checkpoint/log-reader.ts';
import { readPublishedSeq } from '../../src/checkpoint/published-position.ts';
import type { Store } from '../../src/checkpoint/store.ts';
import { differencesBetween, type PartitionState, stateOf } from './partition-state.ts';

/**
 * No oversell, and reserved is what the holds add up to: for every item,
 * 0 ≤ reserved ≤ total (available ≥ 0) and reserved = Σ quantity of its HELD reservations.
 */
export function brokenInvariants(state: PartitionState): string[] {
  const problems: string[] = [];
  const held = new Map<string, number>();
  for (const reservation of state.reservations.values()) {
    if (!state.items.has(reservation.itemKey)) {
      problems.push(`reservation ${reservation.reservationId} names no item`);
    }
    if (reservation.status !== 'HELD') continue;
    held.set(reservation.itemKey, (held.get(reservation.itemKey) ?? 0) + reservation.quantity);
  }
  for (const [key, item] of state.items) {
    if (item.reservedQty < 0) problems.push(`item ${key}: reserved ${item.reservedQty} < 0`);
    if (item.totalQty < item.reservedQty) {
      problems.push(`item ${key} oversold: total ${item.totalQty} < reserved ${item.reservedQty}`);
    }
    if (item.reservedQty !== (held.get(key) ?? 0)) {
      problems.push(`item ${key}: reserved ${item.reservedQty} ≠ Σ held ${held.get(key) ?? 0}`);
    }
  }
  return problems;
}

/**
 * Replay equals live: each partition rebuilt from the store (its snapshot, then its log, as
 * start-up does) must hold what the live partition holds.
 */
export function replayDifferences(
  store: Store,
  live: readonly PartitionState[],
  forgotten: ReadonlySet<string>,
  options: PartitionActorOptions,
): string[] {
  return live.flatMap((state) => {
    const replayed = stateOf(recoverPartition(store, state.partition, options).actor);
    return differencesBetween(state, replayed, forgotten, ['live', 'replay']);
  });
}

/**
 * The log is the outbox and the history: from its oldest event to its newest it must hold
 * every seq, once and in order, up to the partition's newest event — and with replication on,
 * nothing not yet published may be gone.
 */
export function logProblems(store: Store, state: PartitionState, replication: boolean): string[] {
  const p = `partition ${state.partition}`;
  let first: number | undefined;
  let previous: number | undefined;
  for (const event of readPartitionLog(store, state.partition, 1)) {
    if (previous !== undefined && event.seq !== previous + 1) {
      return [`${p}: the log jumps from seq ${previous} to ${event.seq}`];
    }
    first ??= event.seq;
    previous = event.seq;
  }
  const newest = previous ?? 0;
  if (newest !== state.lastSeq)
    return [`${p}: the log ends at ${newest}, the partition at ${state.lastSeq}`];
  const published = replication
    ? readPublishedSeq(store, state.partition)
    : Number.POSITIVE_INFINITY;
  if (first !== undefined && published < newest && first > published + 1) {
    return [`${p}: the log starts at ${first} but only ${published} is published`];
  }
  return [];
}
