import type { FastifyReply } from 'fastify';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import { type ErrorCode, errorCatalog, errorMessageOf } from '../../errors.ts';
import type { LineOutcome } from '../../worker-protocol/results.ts';

/**
 * The body of every error response: fastify's shape plus a stable `code`, whether retrying can
 * help, and for validation errors the offending fields.
 */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly error: string;
  readonly message: string;
  readonly retriable: boolean;
  readonly details?: readonly ValidationIssue[];
  /** ORDER_FAILED, ORDER_CHANGE_FAILED: every line concerned, each with its own code. */
  readonly lines?: readonly LineOutcome[];
}

/** An error to answer: a refusal from a use case, or one the HTTP layer itself found. */
export interface ErrorToSend {
  readonly code: ErrorCode;
  readonly issues?: readonly ValidationIssue[] | undefined;
  /** Makes the catalog's message specific (see errorMessageOf). */
  readonly message?: string | undefined;
  readonly lines?: readonly LineOutcome[] | undefined;
}

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

function errorBody({ code, issues, message, lines }: ErrorToSend): ErrorBody {
  const spec = errorCatalog[code];
  return {
    statusCode: spec.httpStatus,
    code,
    error: reasonPhrases[spec.httpStatus] ?? 'Error',
    message: errorMessageOf(code, { issues, reason: message }),
    retriable: spec.retriable,
    ...(issues !== undefined && issues.length > 0 && { details: issues }),
    ...(lines !== undefined && { lines }),
  };
}

/**
 * The one way an error leaves over HTTP: status, `Retry-After` and body all come from the
 * catalog entry of its code, so no route picks a status or a header of its own.
 */
export function sendError(reply: FastifyReply, error: ErrorToSend): FastifyReply {
  const spec = errorCatalog[error.code];
  if (spec.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(spec.retryAfterSeconds));
  }
  return reply.code(spec.httpStatus).send(errorBody(error));
}

/**
 * A refused entry of a bulk request (receipts, reserves), described as the entry's own error
 * body would describe it alone: its code, the catalog's message, whether retrying can help.
 */
export function bulkEntryError(error: ErrorToSend) {
  const { code, issues, message } = error;
  return {
    code,
    message: errorMessageOf(code, { issues, reason: message }),
    retriable: errorCatalog[code].retriable,
  };
}
