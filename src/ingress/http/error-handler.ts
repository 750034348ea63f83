import type { FastifyError, FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { ErrorCode } from '../../errors.ts';
import { issuesOf } from '../../requests/request-validator.ts';
import { sendError } from './error-reply.ts';

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
 *
 * Wrapped with fastify-plugin: the handlers are set on the root instance, so every route group
 * (each in its own encapsulated scope) inherits them. Register it before any route.
 */
export const errorHandling = fastifyPlugin(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation !== undefined) {
        return sendError(reply, { code: 'VALIDATION', issues: issuesOf(error.validation) });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = frameworkCodes[error.code] ?? 'VALIDATION';
        // A dedicated code says it all; for VALIDATION, fastify's message says what was wrong.
        return sendError(reply, {
          code,
          message: code === 'VALIDATION' ? error.message : undefined,
        });
      }
      request.log.error({ err: error, reqId: request.id }, 'request failed');
      return sendError(reply, { code: 'INTERNAL' });
    });
    app.setNotFoundHandler((request, reply) =>
      sendError(reply, { code: 'ROUTE_NOT_FOUND', message: `${request.method} ${request.url}` }),
    );
  },
  { name: 'stockd-error-handling' },
);
