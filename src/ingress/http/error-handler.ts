import type { FastifyError, FastifyInstance } from 'fastify';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import type { ErrorCode } from '../../errors.ts';
import { errorBody } from './http-error.ts';

/** fastify's own request errors, by its code, as catalog codes. */
const frameworkCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION',
};

/**
 * Every error leaves in one shape. Schema failures, bad JSON, oversized bodies and unknown
 * routes become 4xx with a stable code; anything unexpected is logged and answered 500.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      // if/then/else adds a generic "must match then schema" entry: the specific ones say more.
      const details: ValidationIssue[] = error.validation
        .filter((issue) => issue.keyword !== 'if')
        .map((issue) => ({
          field: fieldOf(issue.instancePath, issue.params),
          message: issue.message ?? 'is invalid',
        }));
      const message = details.map((d) => `${d.field || 'body'} ${d.message}`).join('; ');
      return reply.code(400).send(errorBody('VALIDATION', message, details));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = frameworkCodes[error.code] ?? 'VALIDATION';
      const body = errorBody(code, error.message);
      return reply.code(body.statusCode).send(body);
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`)),
  );
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra =
    typeof params.missingProperty === 'string'
      ? params.missingProperty
      : typeof params.additionalProperty === 'string'
        ? params.additionalProperty
        : '';
  return [path, extra].filter((part) => part !== '').join('.');
}
