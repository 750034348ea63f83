import type { Command, Reserve } from '../../src/domain/commands.ts';
import type { ReservationStatus } from '../../src/domain/reservation.ts';
import { formatReservationId } from '../../src/domain/reservation-id.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import type { Prng } from './prng.ts';

export interface Item {
  readonly sku: string;
  readonly warehouseId: string;
}

export interface WorkloadShape {
  readonly items: readonly Item[];
  readonly partitionCount: number;
  /** Most requests in one client batch. */
  readonly batchRequestsMax: number;
  /** Share of commands that carry a commandId, as a batch producer's do. */
  readonly commandIdShare: number;
}

/** How often each kind of request is sent, relative to the others. */
const mix = {
  receive: 14,
  adjustByDelta: 5,
  adjustToTotal: 3,
  setStatus: 4,
  reserve: 22,
  repeatReserve: 5,
  reuseIdempotencyKey: 3,
  changeReservation: 8,
  confirm: 6,
  release: 6,
  unknownReservation: 2,
  readItem: 5,
  readReservation: 4,
  redeliver: 4,
  reuseCommandId: 2,
  retryLost: 6,
} as const;

type RequestKind = keyof typeof mix;

/**
 * The clients: a seeded random stream of every kind of request — stock receipts, adjustments by
 * delta and to a counted total, status changes, reserves (new, repeated with the same body,
 * and an idempotency key reused for another body), quantity changes, confirms, releases, reads
 * — over the items, against reservations the clients learned of from replies. Like real
 * clients they send a request again when its reply was lost in a crash, and batch producers
 * redeliver commands under their commandId (and sometimes reuse one for another command).
 */
export class Workload {
  readonly #random: Prng;
  readonly #shape: WorkloadShape;
  #nextOrder = 1;
  #nextCommand = 1;
  readonly #reserves: Reserve[] = [];
  readonly #reservationIds: string[] = [];
  readonly #statuses = new Map<string, ReservationStatus>();
  readonly #withCommandId: Command[] = [];
  readonly #lost: EngineRequest[] = [];
  readonly #stocked: Item[] = [];

  constructor(random: Prng, shape: WorkloadShape) {
    this.#random = random;
    this.#shape = shape;
  }

  nextBatch(): EngineRequest[] {
    const size = this.#random.int(1, this.#shape.batchRequestsMax);
    return Array.from({ length: size }, () => this.#next());
  }

  /** Learns from a reply what a client would: the reservation it names and its status. */
  acknowledged(result: EngineResult): void {
    if (!result.ok || result.reservation === undefined) return;
    const { reservationId, status } = result.reservation;
    if (!this.#statuses.has(reservationId)) this.#reservationIds.push(reservationId);
    this.#statuses.set(reservationId, status);
  }

  /** Requests whose replies were lost: their clients do not know what became of them. */
  lost(requests: readonly EngineRequest[]): void {
    for (const request of requests) if (this.#random.chance(0.6)) this.#lost.push(request);
  }

  #next(): EngineRequest {
    const kind = this.#random.weighted<RequestKind>(mix);
    const request = this.#request(kind);
    if ('commandId' in request && request.commandId !== undefined) {
      this.#withCommandId.push(request);
      if (this.#withCommandId.length > 16) this.#withCommandId.shift();
    }
    if (request.type === 'Reserve') this.#reserves.push(request);
    return request;
  }

  #request(kind: RequestKind): EngineRequest {
    const random = this.#random;
    switch (kind) {
      case 'retryLost':
        return this.#lost.shift() ?? this.#request('receive');
      case 'redeliver':
        return random.pick([...this.#withCommandId, undefined]) ?? this.#request('receive');
      case 'reuseCommandId': {
        const earlier = random.pick([...this.#withCommandId, undefined]);
        if (earlier === undefined) return this.#request('receive');
        const other = this.#withoutCommandId(this.#itemCommandOf(itemOfCommand(earlier)));
        return { ...other, commandId: earlier.commandId };
      }
      case 'repeatReserve':
        return random.pick([...this.#reserves, undefined]) ?? this.#request('reserve');
      case 'reuseIdempotencyKey': {
        const earlier = random.pick([...this.#reserves, undefined]);
        if (earlier === undefined) return this.#request('reserve');
        return this.#withCommandIdMaybe({
          ...this.#withoutCommandId(earlier),
          quantity: earlier.quantity + random.int(1, 3),
        });
      }
      case 'unknownReservation': {
        const partition = random.int(0, this.#shape.partitionCount - 1);
        const reservationId = formatReservationId(partition, random.int(100_000, 200_000));
        return random.chance(0.5)
          ? { type: 'GetReservation', reservationId }
          : this.#withCommandIdMaybe({ type: 'Release', reservationId });
      }
      case 'readItem':
        return { type: 'GetItem', ...this.#item() };
      case 'readReservation': {
        const reservationId = this.#knownReservation();
        return reservationId === undefined
          ? this.#request('readItem')
          : { type: 'GetReservation', reservationId };
      }
      case 'changeReservation':
      case 'confirm':
      case 'release': {
        const reservationId = this.#knownReservation();
        if (reservationId === undefined) return this.#request('reserve');
        if (kind === 'confirm') return this.#withCommandIdMaybe({ type: 'Confirm', reservationId });
        if (kind === 'release') return this.#withCommandIdMaybe({ type: 'Release', reservationId });
        const quantity = random.int(1, 10);
        return this.#withCommandIdMaybe({ type: 'ChangeReservation', reservationId, quantity });
      }
      default:
        return this.#withCommandIdMaybe(this.#itemCommand(kind, this.#item(kind === 'receive')));
    }
  }

  /** A command about one item, of the kind asked for. */
  #itemCommand(kind: RequestKind, item: Item): Command {
    const random = this.#random;
    switch (kind) {
      case 'receive':
        return { type: 'ReceiveStock', ...item, quantity: random.int(1, 20) };
      case 'adjustByDelta': {
        const delta = random.chance(0.5) ? random.int(1, 8) : -random.int(1, 8);
        return { type: 'AdjustStock', ...item, delta, reason: 'cycle-count' };
      }
      case 'adjustToTotal':
        return { type: 'AdjustStock', ...item, setTotal: random.int(0, 40), reason: 'stocktake' };
      case 'setStatus':
        return {
          type: 'SetItemStatus',
          ...item,
          status: random.chance(0.3) ? 'INACTIVE' : 'ACTIVE',
        };
      default: {
        // A new order; one in ten reuses an earlier order's key on another item (keys are
        // scoped per item: that is a new hold, not a repeat).
        const earlier = random.chance(0.1)
          ? random.pick([...this.#reserves, undefined])
          : undefined;
        const idempotencyKey = earlier?.idempotencyKey ?? `order-${this.#nextOrder++}`;
        const ttlSeconds = random.chance(0.2) ? random.int(1, 10) : random.int(30, 600);
        return { type: 'Reserve', ...item, idempotencyKey, quantity: random.int(1, 6), ttlSeconds };
      }
    }
  }

  #itemCommandOf(item: Item): Command {
    const kind = this.#random.pick<RequestKind>(['receive', 'adjustByDelta', 'reserve']);
    return this.#itemCommand(kind, item);
  }

  #withCommandIdMaybe(command: Command): Command {
    if (!this.#random.chance(this.#shape.commandIdShare)) return command;
    return { ...command, commandId: `command-${this.#nextCommand++}` };
  }

  #withoutCommandId<C extends Command>(command: C): C {
    const { commandId: _, ...body } = command;
    return body as C;
  }

  /**
   * Mostly an item these clients have sent stock to, as a shop sells what it stocked; now and
   * then any item (commands on one never received find it missing).
   */
  #item(receiving = false): Item {
    if (receiving || this.#stocked.length === 0 || this.#random.chance(0.15)) {
      const item = this.#random.pick(this.#shape.items);
      if (receiving && !this.#stocked.includes(item)) this.#stocked.push(item);
      return item;
    }
    return this.#random.pick(this.#stocked);
  }

  /** A reservation the clients learned of, mostly one they last saw HELD. */
  #knownReservation(): string | undefined {
    if (this.#reservationIds.length === 0) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = this.#random.pick(this.#reservationIds);
      if (this.#statuses.get(id) === 'HELD' || !this.#random.chance(0.7)) return id;
    }
    return this.#random.pick(this.#reservationIds);
  }
}

/** The item a command is about, or for reservation commands a stand-in with no stock. */
function itemOfCommand(command: Command): Item {
  return 'sku' in command
    ? { sku: command.sku, warehouseId: command.warehouseId }
    : { sku: 'unknown', warehouseId: 'nowhere' };
}
