import bearerAuth from '@fastify/bearer-auth';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifySchema, onRequestHookHandler, RouteOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { ApiScope } from '../../../config/api-scopes.ts';
import type { AccessSettings } from '../../../config/config.ts';
import { sendError } from '../error-reply.ts';
import { errorResponse } from '../schemas.ts';
import { createKeyRing } from './key-ring.ts';
import { type RouteAccess, routeAccessOf } from './route-rules.ts';

export interface AccessControlOptions {
  readonly access: AccessSettings;
}

/** The OpenAPI security scheme every scoped route names (openapi.ts declares it). */
export const securitySchemeName = 'apiKey';

/**
 * Access control as route hooks, added when each route is registered:
 *
 *   request ─► onRequest: authenticate ─► rate limit (per key) ─► scope ─► body parsing …
 *                  │ 401 UNAUTHENTICATED      │ 429 RATE_LIMITED  │ 403 FORBIDDEN
 *
 * On onRequest, before the body is read: a caller without a key never costs a parse. Refusals
 * are logged at debug, by the key's name (never the key: it is in no log line). Every
 * route must have a rule (route-rules.ts) or the app is not built, with keys or without; open
 * routes get no hook at all. Without keys (loopback only, or STOCKD_AUTH=off) no route gets
 * one, and commands carry no actor. Wrapped with fastify-plugin: its onRoute hook must sit on
 * the root to see the routes of every group; register it before any route and before openApi,
 * which then documents the scopes added here.
 */
export const accessControl = fastifyPlugin(
  async (app: FastifyInstance, { access }: AccessControlOptions) => {
    app.decorateRequest('caller', null);
    const enforced = access.authentication === 'on' && access.keys.length > 0;
    const guard = enforced ? await guardOf(app, access) : undefined;
    app.addHook('onRoute', (route) => {
      const rule = ruleOf(route, access.metricsScope);
      if (rule === 'open') return;
      route.schema = documented(route.schema, rule, access.rateLimit !== undefined);
      if (guard !== undefined) route.onRequest = [...hooksOf(route), ...guard(rule)];
    });
  },
  { name: 'stockd-access' },
);

/** The route's rule; a route without one is a bug of whoever added it, found at start. */
function ruleOf(route: RouteOptions, metricsScope: ApiScope | undefined): RouteAccess {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const rules = new Set(methods.map((method) => routeAccessOf(method, route.url, metricsScope)));
  const [rule] = rules;
  if (rules.size !== 1 || rule === undefined) {
    throw new Error(
      `${methods.join(',')} ${route.url} has no access rule: add it to src/ingress/http/access/route-rules.ts`,
    );
  }
  return rule;
}

/** The hooks of a scoped route, after those it declares itself. */
async function guardOf(
  app: FastifyInstance,
  access: AccessSettings,
): Promise<(scope: ApiScope) => onRequestHookHandler[]> {
  const ring = createKeyRing(access.keys);
  await app.register(bearerAuth, {
    keys: [],
    addHook: false,
    // "Bearer" in any case, as HTTP has auth schemes (RFC 7235).
    specCompliance: 'rfc6749',
    // Its lines name the header's problem, never the key; at debug: a scan must not flood logs.
    verifyErrorLogLevel: 'debug',
    auth: (key, request) => {
      const caller = ring.find(key);
      if (caller === undefined) return false;
      request.caller = caller;
      return true;
    },
  });
  const verify = app.verifyBearerAuth!;
  const authenticate: onRequestHookHandler = (request, reply, done) => {
    verify(request, reply, (error) => {
      if (error === undefined) return done();
      if ((error as { statusCode?: number }).statusCode !== 401) return done(error);
      const missing = request.headers.authorization === undefined;
      request.log.debug(
        { reqId: request.id, route: request.routeOptions.url, missing },
        'unauthenticated',
      );
      reply.header(
        'www-authenticate',
        missing ? 'Bearer realm="stockd"' : 'Bearer realm="stockd", error="invalid_token"',
      );
      sendError(reply, {
        code: 'UNAUTHENTICATED',
        message: missing ? 'send Authorization: Bearer <key>' : 'the key is not one of this server',
      });
    });
  };
  const limit = access.rateLimit === undefined ? [] : [await rateLimiterOf(app, access.rateLimit)];
  return (scope) => [authenticate, ...limit, authorize(scope)];
}

function authorize(scope: ApiScope): onRequestHookHandler {
  return (request, reply, done) => {
    const caller = request.caller!;
    if (caller.scopes.has(scope)) return done();
    request.log.debug(
      { reqId: request.id, caller: caller.name, route: request.routeOptions.url, scope },
      'forbidden',
    );
    reply.header(
      'www-authenticate',
      `Bearer realm="stockd", error="insufficient_scope", scope="${scope}"`,
    );
    sendError(reply, {
      code: 'FORBIDDEN',
      message: `this route needs ${scope}; key ${caller.name} has ${[...caller.scopes].join(', ')}`,
    });
  };
}

/**
 * Requests per key and window, counted in this process (fastify's rate-limit, its local store):
 * one client that misbehaves is slowed down alone. Over the limit: 429 with Retry-After, the
 * seconds left in the window.
 */
async function rateLimiterOf(
  app: FastifyInstance,
  settings: NonNullable<AccessSettings['rateLimit']>,
): Promise<onRequestHookHandler> {
  await app.register(rateLimit, {
    global: false,
    max: settings.requestsMax,
    timeWindow: settings.windowMs,
    keyGenerator: (request) => request.caller!.name,
  });
  const check = app.createRateLimit();
  return async (request, reply) => {
    const state = await check(request);
    if (state.isAllowed || !state.isExceeded) return;
    request.log.debug(
      { reqId: request.id, caller: request.caller!.name, route: request.routeOptions.url },
      'rate limited',
    );
    reply.header('retry-after', String(Math.max(1, state.ttlInSeconds)));
    return sendError(reply, { code: 'RATE_LIMITED' });
  };
}

function hooksOf(route: RouteOptions): onRequestHookHandler[] {
  const own = route.onRequest;
  if (own === undefined) return [];
  return (Array.isArray(own) ? own : [own]) as onRequestHookHandler[];
}

/** The scope in the OpenAPI document, and the refusals among the route's responses. */
function documented(
  schema: FastifySchema | undefined,
  scope: ApiScope,
  rateLimited: boolean,
): FastifySchema {
  const response = (schema?.response ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    security: [{ [securitySchemeName]: [scope] }],
    response: {
      ...response,
      401: errorResponse,
      403: errorResponse,
      ...(rateLimited && { 429: errorResponse }),
    },
  } as FastifySchema;
}
