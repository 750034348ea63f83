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
