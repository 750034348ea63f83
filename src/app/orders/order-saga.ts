import { assert } from '../../domain/assert.ts';
import type { HoldLine, SettleAction, SettleLine } from '../../domain/line-commands.ts';
import type { EventLine, OrderLine } from '../../domain/order.ts';
import type { LineFailure, LineReservation } from '../../domain/order-commands.ts';
import { lineKeyOf } from '../../domain/order-lines.ts';
import type { RejectionCode } from '../../domain/rejections.ts';
import type { EngineRequest } from '../../worker-protocol/requests.ts';
import type { EngineResult, LineOutcome, OrderView } from '../../worker-protocol/results.ts';
import { recordStep, runCertainSteps, runSteps, type SagaEngine } from './saga-steps.ts';

/**
 * The order saga, one function per unfinished state the order's partition can be in. Each
 * starts from what the log says and repeats only absolute, idempotent steps (a line is held or
 * not, has a quantity, is settled or not), so the same function finishes a saga that runs now
 * and one that a crash interrupted:
 *
 *   PENDING          hold every line ─┬─ all held ──► MarkOrderHeld            HELD
 *                                     └─ one failed ► release the held ones
 *                                                     ► MarkOrderFailed        FAILED
 *   change pending   increase and add ─┬─ all held ► decrease and drop
 *                                      │             ► CompleteOrderChange     (new version)
 *                                      └─ one failed ► undo them ► RejectOrderChange
 *   settling         confirm, release or expire every line ► MarkOrderSettled
 */
export interface SagaOutcome {
  readonly order: OrderView;
  /** Why a placement or a change did not happen: every line it concerned, with its code. */
  readonly failedLines?: readonly LineOutcome[];
}

/**
 * Every step carries `by`, the actor of the client request that started the saga, into its
 * events (the order's and its lines'); a saga stockd finishes on its own (expiry, recovery after
 * a restart) has none.
 */
export function finishOrder(
  engine: SagaEngine,
  order: OrderView,
  by: By = {},
): Promise<SagaOutcome> {
  if (order.status === 'PENDING') return finishPlacement(engine, order, by);
  if (order.pendingChange !== undefined) return finishChange(engine, order, by);
  if (order.settling) return finishSettlement(engine, order, by);
  return Promise.resolve({ order });
}

/** Who a saga's steps are done for: `{}` or `{ actor }`, spread into every step. */
export type By = { readonly actor?: string };

/** The `By` of a request's actor (none: `{}`, so that no step carries `actor: undefined`). */
export function byActor(actor: string | undefined): By {
  return actor === undefined ? {} : { actor };
}

async function finishPlacement(engine: SagaEngine, order: OrderView, by: By): Promise<SagaOutcome> {
  const results = await runSteps(
    engine,
    order.lines.map((line) => holdLine(order, line, by)),
  );
  const { held, failures } = sorted(order.lines, results);
  if (failures.length === 0) {
    const reservations = held;
    return {
      order: await recordStep(engine, {
        type: 'MarkOrderHeld',
        orderId: order.orderId,
        ...by,
        reservations,
      }),
    };
  }
  await runCertainSteps(
    engine,
    held.map((line) => settleLine(order.orderId, line.reservationId, 'release', 0, by)),
  );
  const failed = await recordStep(engine, {
    type: 'MarkOrderFailed',
    orderId: order.orderId,
    ...by,
    failures,
  });
  return { order: failed, failedLines: failedLinesOf(order.lines, failures) };
}

async function finishChange(engine: SagaEngine, order: OrderView, by: By): Promise<SagaOutcome> {
  const pending = order.pendingChange!;
  const before = new Map(order.lines.map((line) => [lineKeyOf(line), line]));
  // Increases first, all or nothing; decreases only once every increase is held, so that a
  // change that fails leaves the order exactly as it was.
  const increases = pending.filter((line) => (line.delta ?? 0) > 0);
  const results = await runSteps(
    engine,
    increases.map((line) =>
      line.reservationId === undefined
        ? holdLine(order, line, by)
        : setLineQuantity(order.orderId, line.reservationId, line.quantity, by),
    ),
  );
  const { held, failures } = sorted(increases, results);
  if (failures.length > 0) {
    await runCertainSteps(
      engine,
      held.map((line) => {
        const previous = before.get(lineKeyOf(line));
        return previous === undefined
          ? settleLine(order.orderId, line.reservationId, 'release', 0, by)
          : setLineQuantity(order.orderId, line.reservationId, previous.quantity, by);
      }),
    );
    const rejected = await recordStep(engine, {
      type: 'RejectOrderChange',
      orderId: order.orderId,
      ...by,
      failures,
    });
    return { order: rejected, failedLines: failedLinesOf(pending, failures) };
  }
  await runCertainSteps(
    engine,
    pending
      .filter((line) => (line.delta ?? 0) < 0)
      .map((line) => {
        assert(line.reservationId !== undefined, 'a line that shrinks is held');
        return line.quantity === 0
          ? settleLine(order.orderId, line.reservationId, 'release', 0, by)
          : setLineQuantity(order.orderId, line.reservationId, line.quantity, by);
      }),
  );
  const added = held.filter((line) => before.get(lineKeyOf(line)) === undefined);
  const changed = await recordStep(engine, {
    type: 'CompleteOrderChange',
    orderId: order.orderId,
    ...by,
    reservations: added,
  });
  return { order: changed };
}

const settleActions: Readonly<Record<string, SettleAction>> = {
  CONFIRMED: 'confirm',
  CANCELLED: 'release',
  EXPIRED: 'expire',
};

async function finishSettlement(
  engine: SagaEngine,
  order: OrderView,
  by: By,
): Promise<SagaOutcome> {
  const action = settleActions[order.status];
  assert(action !== undefined, 'an order settles when it is confirmed, cancelled or expired');
  await runCertainSteps(
    engine,
    order.lines.map((line) => {
      assert(line.reservationId !== undefined, 'a settling line is held');
      return settleLine(order.orderId, line.reservationId, action, line.quantity, by);
    }),
  );
  return {
    order: await recordStep(engine, { type: 'MarkOrderSettled', orderId: order.orderId, ...by }),
  };
}

/** Each line's step result: its hold, or its own code. */
function sorted(
  lines: readonly { sku: string; warehouseId: string }[],
  results: readonly EngineResult[],
): { held: LineReservation[]; failures: LineFailure[] } {
  const held: LineReservation[] = [];
  const failures: LineFailure[] = [];
  results.forEach((result, i) => {
    const { sku, warehouseId } = lines[i]!;
    if (result.ok) {
      assert(result.reservation !== undefined, "a line's step answers with its hold");
      held.push({ sku, warehouseId, reservationId: result.reservation.reservationId });
    } else {
      failures.push({ sku, warehouseId, code: result.code as RejectionCode });
    }
  });
  return { held, failures };
}

/** The lines a placement or change concerned: the failing ones with their codes, the rest linked. */
function failedLinesOf(
  lines: readonly (OrderLine | EventLine)[],
  failures: readonly LineFailure[],
): LineOutcome[] {
  const codes = new Map(failures.map((failure) => [lineKeyOf(failure), failure.code]));
  return lines.map((line) => ({
    sku: line.sku,
    warehouseId: line.warehouseId,
    quantity: line.quantity,
    code: codes.get(lineKeyOf(line)) ?? 'LINKED_LINE_FAILED',
  }));
}

function holdLine(
  order: OrderView,
  line: { sku: string; warehouseId: string; quantity: number },
  by: By,
): HoldLine {
  return {
    type: 'HoldLine',
    ...by,
    orderId: order.orderId,
    sku: line.sku,
    warehouseId: line.warehouseId,
    quantity: line.quantity,
    ttlSeconds: order.ttlSeconds,
    expiresAtMs: order.expiresAtMs,
  };
}

function setLineQuantity(
  orderId: string,
  reservationId: string,
  quantity: number,
  by: By,
): EngineRequest {
  return { type: 'SetLineQuantity', orderId, reservationId, quantity, ...by };
}

function settleLine(
  orderId: string,
  reservationId: string,
  action: SettleAction,
  quantity: number,
  by: By,
): SettleLine {
  return { type: 'SettleLine', orderId, reservationId, action, quantity, ...by };
}
