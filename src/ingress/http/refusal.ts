import type { FastifyReply } from 'fastify';
import { errorCatalog } from '../../errors.ts';
import type { EngineResult } from '../../worker-protocol/results.ts';
import { errorBody } from './http-error.ts';

type Refused = Extract<EngineResult, { ok: false }>;

/** Sends an engine refusal in the error shape; overload adds Retry-After. */
export function sendRefusal(reply: FastifyReply, result: Refused): FastifyReply {
  const status = errorCatalog[result.code].httpStatus;
  if (status === 503) reply.header('retry-after', '1');
  return reply.code(status).send(errorBody(result.code, result.message, result.issues));
}
