import { limits } from '../domain/limits.ts';
import { parseReservationId } from '../domain/reservation-id.ts';
import {
  isIdentifier,
  isValidReserve,
  type ValidationIssue,
  validateCommand,
} from '../domain/validate-command.ts';
import { validateOrderCommand } from '../domain/validate-order.ts';
import type { EngineRequest } from '../worker-protocol/requests.ts';

// An order's coordinator submits its lines' commands through the engine too.
const withLineCommands = Object.freeze({ lines: true });

/** The engine's guard: nothing malformed reaches a worker, whichever ingress it came through. */
export function validateRequest(request: EngineRequest): readonly ValidationIssue[] | undefined {
  switch (request.type) {
    case 'GetItem': {
      const issues: ValidationIssue[] = [];
      if (!isIdentifier(request.sku, limits.skuLengthMax)) {
        issues.push({ field: 'sku', message: 'is not a valid sku' });
      }
      if (!isIdentifier(request.warehouseId, limits.warehouseIdLengthMax)) {
        issues.push({ field: 'warehouseId', message: 'is not a valid warehouse id' });
      }
      return issues.length > 0 ? issues : undefined;
    }
    case 'GetReservation':
      return typeof request.reservationId === 'string' &&
        parseReservationId(request.reservationId) !== undefined
        ? undefined
        : [{ field: 'reservationId', message: 'must be a reservation id (rsv-<partition>-<seq>)' }];
    case 'GetOrder':
      return typeof request.orderId === 'string' && request.orderId.length > 0
        ? undefined
        : [{ field: 'orderId', message: 'must be an order id' }];
    case 'ListOrderWork':
      return Number.isInteger(request.partition) && request.partition >= 0
        ? undefined
        : [{ field: 'partition', message: 'must be a partition number' }];
    case 'OpenOrder':
    case 'MarkOrderHeld':
    case 'MarkOrderFailed':
    case 'BeginOrderChange':
    case 'CompleteOrderChange':
    case 'RejectOrderChange':
    case 'SettleOrder':
    case 'MarkOrderSettled':
      return validateOrderCommand(request);
    default: {
      // The common request, checked without allocating; any other, or a failing one, in full.
      if (request.type === 'Reserve' && isValidReserve(request)) return undefined;
      const result = validateCommand(request, withLineCommands);
      return result.ok ? undefined : result.issues;
    }
  }
}
