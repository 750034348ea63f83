import type { CommandType } from '../../domain/commands.ts';
import { totalQuantityOf } from '../../domain/order.ts';
import type { OrderRequestType } from '../../domain/order-requests.ts';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import { type ErrorCode, errorCatalog } from '../../errors.ts';
import type {
  EngineResult,
  ItemLevels,
  LineOutcome,
  OrderView,
  ReservationView,
} from '../../worker-protocol/results.ts';

/**
 * What `inventory-command-results` carries for one command (key = commandId). Field names are
 * the contract; see docs/kafka.md.
 */
export type CommandResult =
  | {
      readonly commandId: string;
      readonly type: CommandType | OrderRequestType;
      readonly ok: true;
      readonly applied: boolean;
      /** This commandId was applied before: a redelivery, with no second effect. */
      readonly duplicate?: true;
      readonly item?: ItemLevels;
      readonly reservation?: ReservationView;
      /** Order requests: the order after it. */
      readonly order?: OrderResult;
    }
  | {
      readonly commandId: string;
      readonly type: CommandType | OrderRequestType;
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message: string;
      /** Whether the same command may succeed later (e.g. INSUFFICIENT_STOCK). */
      readonly retriable: boolean;
      readonly issues?: readonly ValidationIssue[];
      /** ORDER_FAILED, ORDER_CHANGE_FAILED: every line concerned, with its own code. */
      readonly lines?: readonly LineOutcome[];
    };

/** An order as a result reports it: its state, not its coordinator's bookkeeping. */
export interface OrderResult {
  readonly orderId: string;
  readonly customerId?: string;
  readonly status: OrderView['status'];
  readonly version: number;
  readonly totalQuantity: number;
  readonly ttlSeconds: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly updatedAtMs: number;
  readonly lines: OrderView['lines'];
}

function orderResultOf(order: OrderView): OrderResult {
  return {
    orderId: order.orderId,
    ...(order.customerId !== undefined && { customerId: order.customerId }),
    status: order.status,
    version: order.version,
    totalQuantity: totalQuantityOf(order.lines),
    ttlSeconds: order.ttlSeconds,
    createdAtMs: order.createdAtMs,
    expiresAtMs: order.expiresAtMs,
    updatedAtMs: order.updatedAtMs,
    lines: order.lines,
  };
}

/** Engine codes that say "not decided" rather than give a decision: the command must be retried. */
const undecidedCodes: ReadonlySet<ErrorCode> = new Set([
  'OVERLOADED',
  'NOT_READY',
  'SHUTTING_DOWN',
  'STORAGE_FULL',
  'INTERNAL',
]);

export function isDecided(result: EngineResult): boolean {
  return result.ok || !undecidedCodes.has(result.code);
}

export function toCommandResult(
  commandId: string,
  type: CommandType | OrderRequestType,
  result: EngineResult,
): CommandResult {
  if (result.ok) {
    return {
      commandId,
      type,
      ok: true,
      applied: result.applied,
      ...(result.duplicate === true && { duplicate: true }),
      ...(result.item !== undefined && { item: result.item }),
      ...(result.reservation !== undefined && { reservation: result.reservation }),
      ...(result.order !== undefined && { order: orderResultOf(result.order) }),
    };
  }
  const spec = errorCatalog[result.code];
  return {
    commandId,
    type,
    ok: false,
    code: result.code,
    message: result.message ?? spec.message,
    retriable: spec.retriable,
    ...(result.issues !== undefined && { issues: result.issues }),
    ...(result.lines !== undefined && { lines: result.lines }),
  };
}

/** The label of stockd_kafka_commands_total. */
export type CommandOutcome = 'applied' | 'unchanged' | 'duplicate' | 'rejected';

export function outcomeOf(result: EngineResult): CommandOutcome {
  if (!result.ok) return 'rejected';
  if (result.duplicate === true) return 'duplicate';
  return result.applied ? 'applied' : 'unchanged';
}
