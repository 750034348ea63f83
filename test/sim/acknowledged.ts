import { commandFingerprint } from '../../src/domain/command-fingerprint.ts';
import type { Command, Reserve } from '../../src/domain/commands.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import type { ReservationStatus } from '../../src/domain/reservation.ts';
import { parseReservationId } from '../../src/domain/reservation-id.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type {
  EngineResult,
  ItemLevels,
  ReservationView,
} from '../../src/worker-protocol/results.ts';
import type { PartitionState } from './partition-state.ts';

interface Hold {
  readonly reservationId: string;
  readonly quantity: number;
  readonly ttlSeconds: number;
}

/** What the answer to a command on a settled reservation must be, by its final status. */
const onSettled: Readonly<
  Record<'Confirm' | 'Release' | 'ChangeReservation', Record<Settled, 'unchanged' | string>>
> = {
  Confirm: {
    CONFIRMED: 'unchanged',
    RELEASED: 'RESERVATION_RELEASED',
    EXPIRED: 'RESERVATION_EXPIRED',
  },
  Release: { CONFIRMED: 'RESERVATION_CONFIRMED', RELEASED: 'unchanged', EXPIRED: 'unchanged' },
  ChangeReservation: {
    CONFIRMED: 'RESERVATION_CONFIRMED',
    RELEASED: 'RESERVATION_RELEASED',
    EXPIRED: 'RESERVATION_EXPIRED',
  },
};
type Settled = Exclude<ReservationStatus, 'HELD'>;

/**
 * The model of acknowledged outcomes: what every reply a client received promised, kept apart
 * from the engine. A reply is a promise about durable state — an item's levels at a version, a
 * reservation's status and quantity at a version, a hold made under an idempotency key, a
 * commandId applied — and nothing may ever take it back: not a crash, not a restart, not a
 * replay. Later replies must keep those promises too (an identical reserve returns the same
 * hold, a redelivered commandId is a duplicate, a settled reservation stays settled).
 *
 * Forgetting a settled reservation after its retention is the one thing that may withdraw a
 * promise (the domain keeps idempotency records "at least" that long): ids in `forgotten` are
 * exempt once the engine has dropped them.
 */
export class AcknowledgedOutcomes {
  readonly #partitionCount: number;
  /** Whether partitions still remember every commandId sent (their window is not exceeded). */
  readonly #commandIdsRemembered: () => boolean;
  readonly #items = new Map<string, ItemLevels>();
  readonly #reservations = new Map<string, ReservationView>();
  readonly #holds = new Map<string, Hold>();
  readonly #commandIds = new Map<string, { partition: number; fingerprint: number }>();
  acknowledgedCount = 0;

  constructor(partitionCount: number, commandIdsRemembered: () => boolean) {
    this.#partitionCount = partitionCount;
    this.#commandIdsRemembered = commandIdsRemembered;
  }

  /** Checks a reply against earlier promises, then remembers its own; returns broken ones. */
  acknowledge(
    request: EngineRequest,
    partition: number,
    result: EngineResult,
    forgotten: ReadonlySet<string>,
  ): string[] {
    this.acknowledgedCount++;
    const broken = this.#expectation(request, partition, result, forgotten);
    const problems = broken === undefined ? [] : [broken];
    if (result.ok && result.item !== undefined) {
      const problem = this.#itemPromise(result.item, 'a later reply');
      if (problem !== undefined) problems.push(problem);
      const key = itemKeyOf(result.item.sku, result.item.warehouseId);
      if ((this.#items.get(key)?.version ?? -1) <= result.item.version) {
        this.#items.set(key, result.item);
      }
    }
    if (result.ok && result.reservation !== undefined) {
      const view = result.reservation;
      const known = this.#reservations.get(view.reservationId);
      const problem = known && reservationBroken(known, view, 'a later reply');
      if (problem) problems.push(problem);
      if ((known?.version ?? -1) <= view.version) this.#reservations.set(view.reservationId, view);
    }
    this.#remember(request, partition, result);
    return problems.map((problem) => `reply to ${JSON.stringify(request)}: ${problem}`);
  }

  /** Checks the engine's state against every promise ever made; returns broken ones. */
  check(partitionState: (partition: number) => PartitionState, forgotten: ReadonlySet<string>) {
    const problems: string[] = [];
    for (const [key, acked] of this.#items) {
      const state = partitionState(partitionOf(key, this.#partitionCount));
      const row = state.items.get(key);
      if (row === undefined) problems.push(`acknowledged item ${key} is gone`);
      else {
        const problem = this.#itemPromise({ ...acked, ...row }, 'the engine', acked);
        if (problem !== undefined) problems.push(problem);
      }
    }
    for (const [id, acked] of this.#reservations) {
      const state = partitionState(parseReservationId(id)!.partition);
      const reservation = state.reservations.get(id);
      if (reservation === undefined) {
        if (!forgotten.has(id)) problems.push(`acknowledged reservation ${id} is gone`);
        continue;
      }
      const problem = reservationBroken(acked, reservation, 'the engine');
      if (problem !== undefined) problems.push(problem);
    }
    return problems;
  }

  /** The answer earlier replies commit this request to, if any; a description if broken. */
  #expectation(
    request: EngineRequest,
    partition: number,
    result: EngineResult,
    forgotten: ReadonlySet<string>,
  ): string | undefined {
    const commandId = 'commandId' in request ? request.commandId : undefined;
    const applied = commandId === undefined ? undefined : this.#commandIds.get(commandId);
    if (applied !== undefined && applied.partition === partition && this.#commandIdsRemembered()) {
      return byCommandId(request as Command, applied.fingerprint, result);
    }
    // A commandId whose first reply was lost may be remembered all the same: then the engine
    // answers by it, and the rules below cannot tell.
    const answeredByCommandId = result.ok
      ? result.duplicate === true
      : result.code === 'COMMAND_ID_REUSED';
    if (commandId !== undefined && answeredByCommandId) return undefined;
    if (request.type === 'Reserve') {
      const hold = this.#holds.get(holdKey(request));
      if (hold === undefined || forgotten.has(hold.reservationId)) return undefined;
      return byIdempotencyKey(request, hold, result);
    }
    if (
      request.type !== 'Confirm' &&
      request.type !== 'Release' &&
      request.type !== 'ChangeReservation'
    ) {
      return undefined;
    }
    const known = this.#reservations.get(request.reservationId);
    if (known === undefined || known.status === 'HELD' || forgotten.has(request.reservationId)) {
      return undefined;
    }
    const expected = onSettled[request.type][known.status];
    const answered = result.ok ? (result.applied ? 'applied' : 'unchanged') : result.code;
    return answered === expected
      ? undefined
      : `${request.reservationId} was acknowledged ${known.status}: expected ${expected}, got ${answered}`;
  }

  #remember(request: EngineRequest, partition: number, result: EngineResult): void {
    if (!result.ok) return;
    if (request.type === 'Reserve' && result.reservation !== undefined) {
      const key = holdKey(request);
      const known = this.#holds.get(key);
      if (result.applied || known === undefined) {
        const { quantity, ttlSeconds } = request;
        this.#holds.set(key, {
          reservationId: result.reservation.reservationId,
          quantity,
          ttlSeconds,
        });
      }
    }
    const commandId = 'commandId' in request ? request.commandId : undefined;
    if (commandId !== undefined && result.applied && !this.#commandIds.has(commandId)) {
      this.#commandIds.set(commandId, {
        partition,
        fingerprint: commandFingerprint(request as Command),
      });
    }
  }

  /** Whether `seen` keeps the promise of the acknowledged levels of its item. */
  #itemPromise(
    seen: ItemLevels,
    who: string,
    acked = this.#items.get(itemKeyOf(seen.sku, seen.warehouseId)),
  ): string | undefined {
    if (acked === undefined || seen.version > acked.version) return undefined;
    const item = `item ${itemKeyOf(seen.sku, seen.warehouseId)}`;
    if (seen.version < acked.version) {
      return `${who} shows ${item} at version ${seen.version}, acknowledged at ${acked.version}`;
    }
    const fields = ['totalQty', 'reservedQty', 'status'] as const;
    const differing = fields.filter((field) => seen[field] !== acked[field]);
    return differing.length === 0
      ? undefined
      : `${who} shows ${item} v${seen.version} with other ${differing.join(', ')} than acknowledged`;
  }
}

/** A command again under an applied commandId: a duplicate, or refused if its body differs. */
function byCommandId(command: Command, fingerprint: number, result: EngineResult) {
  const same = fingerprint === commandFingerprint(command);
  if (same && !(result.ok && result.duplicate === true && !result.applied)) {
    return `commandId ${command.commandId} was applied before: expected a duplicate`;
  }
  if (!same && (result.ok || result.code !== 'COMMAND_ID_REUSED')) {
    return `commandId ${command.commandId} was applied to another command: expected COMMAND_ID_REUSED`;
  }
  return undefined;
}

/** A reserve under a key that holds: the same hold again, or refused if its body differs. */
function byIdempotencyKey(request: Reserve, hold: Hold, result: EngineResult) {
  const same = hold.quantity === request.quantity && hold.ttlSeconds === request.ttlSeconds;
  const sameHold = result.ok && result.reservation?.reservationId === hold.reservationId;
  if (same && !(sameHold && !result.applied)) {
    return `the same reserve was answered with ${hold.reservationId} before`;
  }
  if (!same && (result.ok || result.code !== 'IDEMPOTENCY_KEY_REUSED')) {
    return `key ${request.idempotencyKey} holds ${hold.reservationId}: expected IDEMPOTENCY_KEY_REUSED`;
  }
  return undefined;
}

/** Whether `seen` breaks the promise of an acknowledged view of the same reservation. */
function reservationBroken(
  acked: ReservationView,
  seen: { status: ReservationStatus; quantity: number; version: number },
  who: string,
): string | undefined {
  const id = acked.reservationId;
  if (seen.version < acked.version) {
    return `${who} shows ${id} at version ${seen.version}, acknowledged at ${acked.version}`;
  }
  if (acked.status !== 'HELD' && seen.status !== acked.status) {
    return `${who} shows ${id} ${seen.status}, acknowledged ${acked.status}`;
  }
  if (
    seen.version === acked.version &&
    (seen.status !== acked.status || seen.quantity !== acked.quantity)
  ) {
    return `${who} shows ${id} v${seen.version} as ${seen.status} ×${seen.quantity}, acknowledged ${acked.status} ×${acked.quantity}`;
  }
  return undefined;
}

function holdKey(request: { sku: string; warehouseId: string; idempotencyKey: string }): string {
  return `${itemKeyOf(request.sku, request.warehouseId)}#${request.idempotencyKey}`;
}
