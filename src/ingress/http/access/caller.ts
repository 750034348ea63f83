import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../../../config/api-scopes.ts';

/** A caller, once its key is known: its name (the actor of its commands) and its scopes. */
export interface Caller {
  readonly name: string;
  readonly scopes: ReadonlySet<ApiScope>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; null on open routes and when there are no keys to check. */
    caller: Caller | null;
  }
}

/** The actor a request's commands carry into their events: its key's name, if it had one. */
export function actorOf(request: FastifyRequest): string | undefined {
  return request.caller?.name;
}
