import type { FastifyReply } from 'fastify';
import { sendError } from '../ingress/http/error-reply.ts';
import { isRetriable } from '../postgres/retry-policy.ts';

// The reporting schema is not there yet: nothing has migrated this database so far.
const schemaMissingCodes = new Set(['3F000', '42P01', '42883']);

/**
 * Runs a report's queries; if PostgreSQL is away (restarting, unreachable, overloaded) or not
 * migrated yet, the client gets 503 with Retry-After instead of a 500: the same request will
 * work shortly. Anything else is a bug and goes to the app's error handler (500).
 */
export async function withDatabase<T>(
  reply: FastifyReply,
  work: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!isRetriable(error) && !schemaMissingCodes.has(code as string)) throw error;
    reply.log.warn({ err: error }, 'reporting database unavailable');
    return sendError(reply, {
      code: 'NOT_READY',
      message: 'the reporting database is unavailable',
    });
  }
}
