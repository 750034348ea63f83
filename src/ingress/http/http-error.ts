import type { ValidationIssue } from '../../domain/validate-command.ts';
import { type ErrorCode, errorCatalog } from '../../errors.ts';

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
}

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorBody(
  code: ErrorCode,
  message?: string,
  details?: readonly ValidationIssue[],
): ErrorBody {
  const spec = errorCatalog[code];
  return {
    statusCode: spec.httpStatus,
    code,
    error: reasonPhrases[spec.httpStatus] ?? 'Error',
    message: message ?? spec.message,
    retriable: spec.retriable,
    ...(details !== undefined && details.length > 0 && { details }),
  };
}
