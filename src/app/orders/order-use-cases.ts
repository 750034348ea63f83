import type { LineRequest } from '../../domain/order.ts';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import { repeatedLineIssues } from '../../domain/validate-order.ts';
import { createRequestValidator } from '../../requests/request-validator.ts';
import { accepted, type Outcome, type Refusal } from '../outcome.ts';
import type { Coordinator } from './coordinator.ts';
import type { Orders, SettledOrder } from './order-api.ts';
import { type By, byActor, type SagaOutcome } from './order-saga.ts';

export interface OrderUseCaseSettings {
  /** Hold time of an order that names none (seconds). */
  readonly defaultTtlSeconds: number;
  /** Most lines an order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
}

/**
 * The order use cases: each validates, then runs its saga under the order's lock and answers
 * once the saga has finished — never with an order half held.
 */
export function createOrderUseCases(
  coordinator: Coordinator,
  settings: OrderUseCaseSettings,
): Orders {
  const { engine, run, finish, firstStep } = coordinator;
  const { linesMax } = settings;
  // The requests' own schemas, as HTTP and the Kafka command topic check them before: a caller
  // of its own (a test, a tool) is held to the same, and the lines' items must be distinct.
  const requests = createRequestValidator(settings, [
    'PlaceOrder',
    'ChangeOrder',
    'ConfirmOrder',
    'CancelOrder',
  ]);
  const refusal = (
    type: 'PlaceOrder' | 'ChangeOrder' | 'ConfirmOrder' | 'CancelOrder',
    input: { readonly orderId: string; readonly lines?: readonly LineRequest[] | undefined },
  ): Refusal | undefined => {
    const schemaIssues = requests.issues(type, input);
    const issues: readonly ValidationIssue[] =
      schemaIssues.length > 0 ? schemaIssues : repeatedLineIssues(input.lines ?? []);
    return issues.length > 0 ? { ok: false, code: 'VALIDATION', issues } : undefined;
  };

  /** SettleOrder from a client, then its lines. */
  const settle = async (
    orderId: string,
    outcome: 'CONFIRMED' | 'CANCELLED',
    lines: readonly LineRequest[] | undefined,
    by: By,
  ): Promise<Outcome<SettledOrder>> => {
    const result = await firstStep({
      type: 'SettleOrder',
      orderId,
      outcome,
      ...(lines !== undefined && { lines }),
      ...by,
    });
    if (!result.ok) return result;
    const saga = await finish(result.order!, by);
    return accepted({ order: saga.order, changed: result.applied });
  };

  return {
    async placeOrder({ actor, ...input }) {
      const refused = refusal('PlaceOrder', input);
      if (refused !== undefined) return refused;
      const { orderId } = input;
      const by = byActor(actor);
      return run('place', orderId, input.lines.length, async () => {
        const opened = await engine.submit({
          type: 'OpenOrder',
          orderId,
          ...(input.customerId !== undefined && { customerId: input.customerId }),
          lines: input.lines,
          ttlSeconds: input.ttlSeconds ?? settings.defaultTtlSeconds,
          ...by,
        });
        if (!opened.ok) return opened;
        // PENDING here: a placement a crash or a shutdown interrupted, finished now.
        const wasPending = opened.order!.status === 'PENDING';
        const saga = await finish(opened.order!, by);
        if (saga.order.status === 'FAILED') return failedOrder(saga);
        return accepted({ order: saga.order, created: opened.applied || wasPending });
      });
    },

    async changeOrder({ orderId, lines, actor }) {
      const refused = refusal('ChangeOrder', { orderId, lines });
      if (refused !== undefined) return refused;
      const by = byActor(actor);
      return run('change', orderId, lines.length, async () => {
        const begun = await firstStep({
          type: 'BeginOrderChange',
          orderId,
          lines,
          linesMax,
          ...by,
        });
        if (!begun.ok) return begun;
        const changes = begun.order!.pendingChange ?? [];
        const saga = await finish(begun.order!, by);
        if (saga.failedLines !== undefined) {
          return { ok: false, code: 'ORDER_CHANGE_FAILED', lines: saga.failedLines };
        }
        return accepted({ order: saga.order, changes: begun.applied ? changes : [] });
      });
    },

    async confirmOrder({ orderId, lines, actor }) {
      const refused = refusal('ConfirmOrder', { orderId, ...(lines !== undefined && { lines }) });
      if (refused !== undefined) return refused;
      return run('confirm', orderId, lines?.length ?? 0, () =>
        settle(orderId, 'CONFIRMED', lines, byActor(actor)),
      );
    },

    async cancelOrder(orderId, actor) {
      const refused = refusal('CancelOrder', { orderId });
      if (refused !== undefined) return refused;
      return run('cancel', orderId, 0, () =>
        settle(orderId, 'CANCELLED', undefined, byActor(actor)),
      );
    },

    async getOrder(orderId) {
      const result = await engine.submit({ type: 'GetOrder', orderId });
      return result.ok ? accepted(result.order!) : result;
    },
  };
}

/** A FAILED order's answer, first time and on every repeat: every line with its code. */
function failedOrder(saga: SagaOutcome): Refusal {
  const lines =
    saga.failedLines ??
    saga.order.lines.map((line) => ({
      sku: line.sku,
      warehouseId: line.warehouseId,
      quantity: line.quantity,
      code: line.code ?? 'LINKED_LINE_FAILED',
    }));
  return { ok: false, code: 'ORDER_FAILED', lines };
}
