import type { Command } from './commands.ts';
import { decideHoldLine, decideSetLineQuantity, decideSettleLine } from './decide-line.ts';
import {
  decideChangeReservation,
  decideConfirm,
  decideExpire,
  decideRelease,
  decideReserve,
} from './decide-reservation.ts';
import { decideAdjustStock, decideReceiveStock, decideSetItemStatus } from './decide-stock.ts';
import type { Decision, DecisionContext } from './decision.ts';

/** decide(state, command, now) → events | unchanged | rejection. Pure. */
export function decide(command: Command, context: DecisionContext): Decision {
  switch (command.type) {
    case 'ReceiveStock':
      return decideReceiveStock(command, context);
    case 'AdjustStock':
      return decideAdjustStock(command, context);
    case 'SetItemStatus':
      return decideSetItemStatus(command, context);
    case 'Reserve':
      return decideReserve(command, context);
    case 'ChangeReservation':
      return decideChangeReservation(command, context);
    case 'Confirm':
      return decideConfirm(command, context);
    case 'Release':
      return decideRelease(command, context);
    case 'Expire':
      return decideExpire(command, context);
    case 'HoldLine':
      return decideHoldLine(command, context);
    case 'SetLineQuantity':
      return decideSetLineQuantity(command, context);
    case 'SettleLine':
      return decideSettleLine(command, context);
  }
}
