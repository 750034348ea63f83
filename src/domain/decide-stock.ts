import type { AdjustStock, ReceiveStock, SetItemStatus } from './commands.ts';
import { applied, type Decision, type DecisionContext, rejected, unchanged } from './decision.ts';
import { eventBase } from './event-builder.ts';
import { limits } from './limits.ts';

export function decideReceiveStock(command: ReceiveStock, context: DecisionContext): Decision {
  const { item, nowMs } = context;
  if ((item?.totalQty ?? 0) + command.quantity > limits.totalQtyMax) {
    return rejected('QUANTITY_LIMIT_EXCEEDED');
  }
  return applied({
    type: 'StockReceived',
    ...eventBase(item, nowMs, command.quantity, 0),
    quantity: command.quantity,
    // Absent, not undefined: events are stored as records and an absent field costs nothing.
    ...(command.reason !== undefined && { reason: command.reason }),
  });
}

/** A `setTotal` adjustment (a stock count) may create the item; a `delta` needs one. */
export function decideAdjustStock(command: AdjustStock, context: DecisionContext): Decision {
  const { item, nowMs } = context;
  if (item === undefined && command.setTotal === undefined) return rejected('ITEM_NOT_FOUND');
  const totalBefore = item?.totalQty ?? 0;
  const totalAfter = command.setTotal ?? totalBefore + (command.delta ?? 0);
  if (totalAfter < 0) return rejected('WOULD_GO_NEGATIVE');
  if (totalAfter < (item?.reservedQty ?? 0)) return rejected('WOULD_UNDERCUT_RESERVED');
  if (totalAfter > limits.totalQtyMax) return rejected('QUANTITY_LIMIT_EXCEEDED');
  return applied({
    type: 'StockAdjusted',
    ...eventBase(item, nowMs, totalAfter - totalBefore, 0),
    delta: totalAfter - totalBefore,
    ...(command.setTotal !== undefined && { setTotal: command.setTotal }),
    reason: command.reason,
  });
}

export function decideSetItemStatus(command: SetItemStatus, context: DecisionContext): Decision {
  const { item, nowMs } = context;
  if (item === undefined) return rejected('ITEM_NOT_FOUND');
  if (item.status === command.status) return unchanged;
  return applied({ type: 'ItemStatusChanged', ...eventBase(item, nowMs, 0, 0, command.status) });
}
