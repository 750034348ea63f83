import { isDeepStrictEqual } from 'node:util';
import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import type { RecentCommandEntry } from '../../src/actors/recent-commands.ts';
import type { ItemState } from '../../src/domain/item.ts';
import type { Reservation } from '../../src/domain/reservation.ts';

export interface ItemRow extends ItemState {
  /** seq of the item's newest event. */
  readonly lastSeq: number;
}

/** Everything a partition holds, as plain data detached from the actor (safe to keep). */
export interface PartitionState {
  readonly partition: number;
  /** seq of the partition's newest event (0: none). */
  readonly lastSeq: number;
  readonly items: ReadonlyMap<string, ItemRow>;
  readonly reservations: ReadonlyMap<string, Reservation>;
  readonly recentCommands: readonly RecentCommandEntry[];
}

export function stateOf(actor: PartitionActor): PartitionState {
  const items = new Map<string, ItemRow>();
  for (let index = 0; index < actor.items.size; index++) {
    items.set(actor.items.keyAt(index), {
      ...actor.items.read(index),
      lastSeq: actor.items.lastSeqAt(index),
    });
  }
  const reservations = new Map<string, Reservation>();
  for (const reservation of actor.reservations()) {
    // Reservations are immutable values; the copy of the history only drops its frozen-ness.
    reservations.set(reservation.reservationId, {
      ...reservation,
      adjustments: [...reservation.adjustments],
    });
  }
  return {
    partition: actor.partition,
    lastSeq: actor.nextSeq - 1,
    items,
    reservations,
    recentCommands: actor.image().recentCommands.map((entry) => [...entry] as const),
  };
}

/**
 * How `actual` differs from `expected`, one line per difference (empty: the same). Settled
 * reservations are the one allowed difference: forgetting one after its retention is not logged
 * (it changes no stock), so a partition rebuilt from its log may hold a settled reservation the
 * live one has forgotten, or, from a snapshot taken after forgetting, lack one the log replay
 * brings back. Such a reservation must be one the simulator saw being forgotten, and settled.
 */
export function differencesBetween(
  expected: PartitionState,
  actual: PartitionState,
  forgotten: ReadonlySet<string>,
  [expectedName, actualName]: readonly [string, string],
): string[] {
  const found: string[] = [];
  const p = `partition ${expected.partition}`;
  if (expected.lastSeq !== actual.lastSeq) {
    found.push(
      `${p}: newest seq ${expectedName} ${expected.lastSeq}, ${actualName} ${actual.lastSeq}`,
    );
  }
  for (const key of new Set([...expected.items.keys(), ...actual.items.keys()])) {
    const [a, b] = [expected.items.get(key), actual.items.get(key)];
    if (!isDeepStrictEqual(a, b)) {
      found.push(`${p} item ${key}: ${expectedName} ${show(a)}, ${actualName} ${show(b)}`);
    }
  }
  const ids = new Set([...expected.reservations.keys(), ...actual.reservations.keys()]);
  for (const id of ids) {
    const [a, b] = [expected.reservations.get(id), actual.reservations.get(id)];
    if (isDeepStrictEqual(a, b)) continue;
    const onlyOne = a === undefined ? b! : b === undefined ? a : undefined;
    if (onlyOne !== undefined && onlyOne.status !== 'HELD' && forgotten.has(id)) continue;
    found.push(`${p} reservation ${id}: ${expectedName} ${show(a)}, ${actualName} ${show(b)}`);
  }
  if (!isDeepStrictEqual(expected.recentCommands, actual.recentCommands)) {
    found.push(
      `${p} recent commandIds: ${expectedName} ${show(expected.recentCommands.slice(-5))}…, ` +
        `${actualName} ${show(actual.recentCommands.slice(-5))}…`,
    );
  }
  return found;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}
