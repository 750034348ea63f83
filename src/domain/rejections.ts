/**
 * Business rejections: returned as values, never thrown. Listed in precedence order: when a
 * command breaks several rules, the decider reports the first one in this list that applies.
 */
export const rejectionCodes = [
  'ITEM_NOT_FOUND',
  'RESERVATION_NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'RESERVATION_CONFIRMED',
  'RESERVATION_RELEASED',
  'RESERVATION_EXPIRED',
  'ITEM_INACTIVE',
  'INSUFFICIENT_STOCK',
  'WOULD_GO_NEGATIVE',
  'WOULD_UNDERCUT_RESERVED',
  'QUANTITY_LIMIT_EXCEEDED',
  'ADJUSTMENT_LIMIT_REACHED',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];
