import type { RejectionCode } from './domain/rejections.ts';
import type { ValidationIssue } from './domain/validate-command.ts';

/**
 * The one error catalog: every code a client can see, with everything its answer needs — the
 * HTTP status, a message, whether retrying the same request later can succeed and, for 503s,
 * how long to wait first. README's table is checked against it.
 */
export interface ErrorSpec {
  readonly httpStatus: number;
  readonly message: string;
  readonly retriable: boolean;
  /**
   * Sent as `Retry-After` (seconds); every 503 and 507 has one. (A 429's depends on its key's
   * window.)
   */
  readonly retryAfterSeconds?: number;
}

const rejectionSpecs: Readonly<Record<RejectionCode, ErrorSpec>> = {
  COMMAND_ID_REUSED: {
    httpStatus: 409,
    message:
      'This commandId was already used for a different command (commandIds are checked per partition, against its newest STOCKD_RECENT_COMMANDS_MAX)',
    retriable: false,
  },
  ITEM_NOT_FOUND: { httpStatus: 404, message: 'No such item in this warehouse', retriable: false },
  RESERVATION_NOT_FOUND: { httpStatus: 404, message: 'No such reservation', retriable: false },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 409,
    message: 'This idempotency key was already used for a different request on this item',
    retriable: false,
  },
  RESERVATION_OF_ORDER: {
    httpStatus: 409,
    message: 'This hold is a line of an order: change, confirm or cancel it through the order',
    retriable: false,
  },
  RESERVATION_CONFIRMED: {
    httpStatus: 409,
    message: 'The reservation is already confirmed',
    retriable: false,
  },
  RESERVATION_RELEASED: {
    httpStatus: 409,
    message: 'The reservation was released',
    retriable: false,
  },
  RESERVATION_EXPIRED: { httpStatus: 409, message: 'The reservation expired', retriable: false },
  ITEM_INACTIVE: {
    httpStatus: 409,
    message: 'The item is inactive and takes no reservations',
    retriable: false,
  },
  INSUFFICIENT_STOCK: {
    httpStatus: 409,
    message: 'Not enough available stock',
    retriable: true,
  },
  WOULD_GO_NEGATIVE: {
    httpStatus: 409,
    message: 'The adjustment would make total stock negative',
    retriable: false,
  },
  WOULD_UNDERCUT_RESERVED: {
    httpStatus: 409,
    message: 'The adjustment would leave less total stock than is reserved',
    retriable: false,
  },
  QUANTITY_LIMIT_EXCEEDED: {
    httpStatus: 409,
    message: 'The total stock of the item would exceed its limit',
    retriable: false,
  },
  ADJUSTMENT_LIMIT_REACHED: {
    httpStatus: 409,
    message: 'The reservation has reached its limit of quantity changes',
    retriable: false,
  },
  ORDER_NOT_FOUND: { httpStatus: 404, message: 'No such order', retriable: false },
  // Another step of the same order is under way (it finishes in milliseconds, or at restart).
  ORDER_BUSY: {
    httpStatus: 409,
    message: 'The order is being changed or settled; retry shortly',
    retriable: true,
  },
  ORDER_FAILED: {
    httpStatus: 409,
    message: "A line of the order could not be held, so none is: see each line's code",
    retriable: false,
  },
  ORDER_CONFIRMED: { httpStatus: 409, message: 'The order is already confirmed', retriable: false },
  ORDER_CANCELLED: { httpStatus: 409, message: 'The order was cancelled', retriable: false },
  ORDER_EXPIRED: { httpStatus: 409, message: 'The order expired', retriable: false },
  ORDER_LINE_NOT_FOUND: {
    httpStatus: 404,
    message: 'The order has no line for this item',
    retriable: false,
  },
  CONFIRM_EXCEEDS_HELD: {
    httpStatus: 409,
    message: 'A line cannot confirm more units than it holds',
    retriable: false,
  },
  ORDER_EMPTY: {
    httpStatus: 409,
    message: 'The change would drop every line; cancel the order instead',
    retriable: false,
  },
  ORDER_LINE_LIMIT_REACHED: {
    httpStatus: 409,
    message: 'The change would give the order more lines than allowed',
    retriable: false,
  },
  ORDER_CHANGE_LIMIT_REACHED: {
    httpStatus: 409,
    message: 'The order has reached its limit of quantity changes',
    retriable: false,
  },
  // The order is as it was; the stock a line lacked may come back.
  ORDER_CHANGE_FAILED: {
    httpStatus: 409,
    message: "A line's increase could not be held, so the order is unchanged: see each line's code",
    retriable: true,
  },
  LINKED_LINE_FAILED: {
    httpStatus: 409,
    message: 'This line could have been held, but another line of its order could not',
    retriable: false,
  },
};

const serviceSpecs = {
  VALIDATION: { httpStatus: 400, message: 'The request is not valid', retriable: false },
  // A full queue drains in milliseconds: come back at once. A part that is away (the reporting
  // database) or a draining process takes seconds to come back (or to be replaced).
  OVERLOADED: {
    httpStatus: 503,
    message: 'Too many commands are queued; retry shortly',
    retriable: true,
    retryAfterSeconds: 1,
  },
  NOT_READY: {
    httpStatus: 503,
    message: 'A part of the service is not available yet',
    retriable: true,
    retryAfterSeconds: 5,
  },
  SHUTTING_DOWN: {
    httpStatus: 503,
    message: 'The service is shutting down',
    retriable: true,
    retryAfterSeconds: 5,
  },
  // The data directory's free space is under STOCKD_DISK_FREE_FLOOR_BYTES, or a write to it
  // failed: nothing was changed, and the same request succeeds once an operator frees space.
  STORAGE_FULL: {
    httpStatus: 507,
    message: 'The data volume is full: writes are refused until space is freed (reads are served)',
    retriable: true,
    retryAfterSeconds: 30,
  },
  UNAUTHENTICATED: {
    httpStatus: 401,
    message: 'This route needs an API key (Authorization: Bearer <key>)',
    retriable: false,
  },
  FORBIDDEN: {
    httpStatus: 403,
    message: 'The API key lacks the scope this route needs',
    retriable: false,
  },
  // Its Retry-After is the time left in the key's window: the limiter sends it, not the catalog.
  RATE_LIMITED: {
    httpStatus: 429,
    message: 'Too many requests with this API key; retry after Retry-After seconds',
    retriable: true,
  },
  ROUTE_NOT_FOUND: { httpStatus: 404, message: 'No such route', retriable: false },
  BODY_TOO_LARGE: { httpStatus: 413, message: 'The request body is too large', retriable: false },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    message: 'The request body must be application/json',
    retriable: false,
  },
  HISTORY_TRUNCATED: {
    httpStatus: 410,
    message: 'The requested history is older than the retained log',
    retriable: false,
  },
  INTERNAL: { httpStatus: 500, message: 'Internal error', retriable: true },
} as const satisfies Record<string, ErrorSpec>;

export type ServiceErrorCode = keyof typeof serviceSpecs;
export type ErrorCode = RejectionCode | ServiceErrorCode;

export const errorCatalog: Readonly<Record<ErrorCode, ErrorSpec>> = Object.freeze({
  ...rejectionSpecs,
  ...serviceSpecs,
});

/**
 * What a client is told beyond the code: the fields that are wrong (VALIDATION), or a short
 * reason that makes the catalog's message specific (which route does not exist, what a parser
 * objected to).
 */
export interface ErrorSpecifics {
  readonly issues?: readonly ValidationIssue[] | undefined;
  readonly reason?: string | undefined;
}

/** The message of an error answer: always the catalog's, made specific by what was wrong. */
export function errorMessageOf(code: ErrorCode, specifics: ErrorSpecifics = {}): string {
  const { message } = errorCatalog[code];
  const { issues = [], reason } = specifics;
  const fields = issues.map((issue) => `${issue.field || 'body'} ${issue.message}`).join('; ');
  const specific = [reason, fields].filter((part) => part !== undefined && part !== '').join('; ');
  return specific === '' ? message : `${message}: ${specific}`;
}
