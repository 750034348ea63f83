/**
 * Business rejections: returned as values, never thrown. Listed in precedence order: when a
 * command breaks several rules, the decider reports the first one in this list that applies.
 * (COMMAND_ID_REUSED comes first: a partition checks a command's commandId against the ones it
 * remembers before anything is decided; see command-fingerprint.ts.)
 */
export const rejectionCodes = [
  'COMMAND_ID_REUSED',
  'ITEM_NOT_FOUND',
  'RESERVATION_NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'RESERVATION_OF_ORDER',
  'RESERVATION_CONFIRMED',
  'RESERVATION_RELEASED',
  'RESERVATION_EXPIRED',
  'ITEM_INACTIVE',
  'INSUFFICIENT_STOCK',
  'WOULD_GO_NEGATIVE',
  'WOULD_UNDERCUT_RESERVED',
  'QUANTITY_LIMIT_EXCEEDED',
  'ADJUSTMENT_LIMIT_REACHED',
  // Orders (decide-order.ts), and the per-line code of a line that failed only with its order.
  'ORDER_NOT_FOUND',
  'ORDER_BUSY',
  'ORDER_FAILED',
  'ORDER_CONFIRMED',
  'ORDER_CANCELLED',
  'ORDER_EXPIRED',
  'ORDER_LINE_NOT_FOUND',
  'CONFIRM_EXCEEDS_HELD',
  'ORDER_EMPTY',
  'ORDER_LINE_LIMIT_REACHED',
  'ORDER_CHANGE_LIMIT_REACHED',
  'ORDER_CHANGE_FAILED',
  'LINKED_LINE_FAILED',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];
