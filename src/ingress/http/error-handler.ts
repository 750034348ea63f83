import type { FastifyError, FastifyInstance } from 'fastify';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import { errorBody } from './http-error.ts';

/**
 * Every error leaves in one shape. Schema failures, bad JSON, oversized bodies and unknown
 * routes become 4xx with a stable code; anything unexpected is logged and answered 500.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      const details: ValidationIssue[] = error.validation.map((issue) => ({
        field: fieldOf(issue.instancePath, issue.params),
        message: issue.message ?? 'is invalid',
      }));
      return reply.code(400).send(errorBody('VALIDATION', error.message, details));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const body = errorBody('VALIDATION', error.message);
      return reply
        .code(error.statusCode)
        .send({ ...body, statusCode: error.statusCode, error: error.name ?? body.error });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      ...errorBody('VALIDATION', `no route ${request.method} ${request.url}`),
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      error: 'Not Found',
    }),
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
