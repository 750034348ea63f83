import { assert } from '../domain/assert.ts';
import type { Reserve } from '../domain/commands.ts';
import type { ValidationIssue } from '../domain/validate-command.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineResult, ReservationView } from '../worker-protocol/results.ts';
import { accepted, invalid, type Outcome, type Refusal } from './outcome.ts';

export interface ReserveInput {
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  /** The order's key: repeating it with the same body returns the same hold. */
  readonly idempotencyKey?: string | undefined;
  /** The seed's name for the idempotency key; accepted instead of it, or equal to it. */
  readonly orderId?: string | undefined;
  /** How long the hold lasts; the configured default when absent. */
  readonly ttlSeconds?: number | undefined;
}

export interface Reserved {
  readonly reservation: ReservationView;
  /** False: an idempotent repeat that answers the original hold and changed nothing. */
  readonly created: boolean;
}

export interface ChangedReservation {
  readonly reservation: ReservationView;
  /** The change of quantity just recorded (0 when the quantity was already that). */
  readonly delta: number;
}

/**
 * Holds on stock: reserve, change, confirm, release, and a reservation's own record. `actor`
 * names who asks (an API key's name): it is recorded in the events, never decided on.
 */
export interface Reservations {
  reserve(input: ReserveInput, actor?: string): Promise<Outcome<Reserved>>;
  /**
   * Many holds in one call, each decided on its own (not all or nothing): one outcome per input,
   * in order, each once durable; refused as a whole (nothing held) when an input has no usable
   * key. A full queue slows the call down rather than refusing it.
   */
  reserveMany(
    inputs: readonly ReserveInput[],
    actor?: string,
  ): Promise<Outcome<readonly Outcome<Reserved>[]>>;
  changeReservation(
    input: { readonly reservationId: string; readonly quantity: number },
    actor?: string,
  ): Promise<Outcome<ChangedReservation>>;
  confirm(reservationId: string, actor?: string): Promise<Outcome<ReservationView>>;
  release(reservationId: string, actor?: string): Promise<Outcome<ReservationView>>;
  getReservation(reservationId: string): Promise<Outcome<ReservationView>>;
}

export interface ReservationsDependencies {
  readonly engine: Pick<Engine, 'submit' | 'submitMany'>;
  /** Hold time of a reservation that names none (seconds). */
  readonly defaultTtlSeconds: number;
}

export function createReservations(deps: ReservationsDependencies): Reservations {
  const { engine } = deps;
  return {
    async reserve(input, actor) {
      const built = reserveCommandOf(input, deps.defaultTtlSeconds, { actor });
      if (!built.ok) return built;
      const result = await engine.submit(built.command);
      if (!result.ok) return result;
      return accepted({ reservation: reservationOf(result), created: result.applied });
    },

    async reserveMany(inputs, actor) {
      const commands: Reserve[] = [];
      const issues: ValidationIssue[] = [];
      inputs.forEach((input, i) => {
        const built = reserveCommandOf(input, deps.defaultTtlSeconds, { actor });
        if (built.ok) commands.push(built.command);
        else
          for (const issue of built.issues ?? [])
            issues.push({ ...issue, field: `items.${i}.${issue.field}` });
      });
      // Bad input changes nothing: one entry without a usable key refuses them all.
      if (issues.length > 0) return invalid(...issues);
      const results = await engine.submitMany(commands, { whenFull: 'wait' });
      return accepted(
        results.map(
          (result): Outcome<Reserved> =>
            result.ok
              ? accepted({ reservation: reservationOf(result), created: result.applied })
              : result,
        ),
      );
    },

    async changeReservation({ reservationId, quantity }, actor) {
      const result = await engine.submit({
        type: 'ChangeReservation',
        reservationId,
        quantity,
        actor,
      });
      if (!result.ok) return result;
      const reservation = reservationOf(result);
      // A change answers the history with the change just made last; a no-op made none.
      const delta = result.applied ? (reservation.history?.at(-1)?.delta ?? 0) : 0;
      return accepted({ reservation, delta });
    },

    confirm: (reservationId, actor) =>
      viewOf(engine.submit({ type: 'Confirm', reservationId, actor })),
    release: (reservationId, actor) =>
      viewOf(engine.submit({ type: 'Release', reservationId, actor })),
    getReservation: (reservationId) =>
      viewOf(engine.submit({ type: 'GetReservation', reservationId })),
  };
}

/**
 * A reserve as a client asks it (HTTP's body; a Kafka message's fields) as the engine's command:
 * the key from either name, the configured hold time when it names none. Both transports build
 * their Reserve here, so the same body means the same command (and fingerprint) over either.
 */
export function reserveCommandOf(
  input: ReserveInput,
  defaultTtlSeconds: number,
  envelope: { readonly commandId?: string | undefined; readonly actor?: string | undefined },
): { readonly ok: true; readonly command: Reserve } | Refusal {
  const key = idempotencyKeyOf(input);
  if (key === undefined) {
    return invalid({
      field: 'idempotencyKey',
      message: 'is required (or orderId; equal if both are given)',
    });
  }
  const command: Reserve = {
    type: 'Reserve',
    ...(envelope.commandId !== undefined && { commandId: envelope.commandId }),
    sku: input.sku,
    warehouseId: input.warehouseId,
    idempotencyKey: key,
    quantity: input.quantity,
    ttlSeconds: input.ttlSeconds ?? defaultTtlSeconds,
    ...(envelope.actor !== undefined && { actor: envelope.actor }),
  };
  return { ok: true, command };
}

/** One key, from either name: undefined when there is none, or two that disagree. */
function idempotencyKeyOf(input: ReserveInput): string | undefined {
  const { idempotencyKey, orderId } = input;
  if (idempotencyKey !== undefined && orderId !== undefined && idempotencyKey !== orderId) {
    return undefined;
  }
  return idempotencyKey ?? orderId;
}

async function viewOf(pending: Promise<EngineResult>): Promise<Outcome<ReservationView>> {
  const result = await pending;
  return result.ok ? accepted(reservationOf(result)) : result;
}

function reservationOf(result: Extract<EngineResult, { ok: true }>): ReservationView {
  assert(result.reservation !== undefined, 'a reservation request answers with the reservation');
  return result.reservation;
}
