import type { ApiScope } from '../../../config/api-scopes.ts';

/** What a route needs: a key with this scope, or nothing (`open`). */
export type RouteAccess = ApiScope | 'open';

/**
 * Every route's access, by method and full route pattern (prefixes included), in one table so
 * that who may do what reads, and is reviewed, in one place. Deny by default: a route with no
 * row here stops the app from being built (access-plugin.ts), so a new route group cannot ship
 * open by mistake. To give a new route a scope, add its row; the tests of access take every
 * registered route from here.
 *
 * /metrics is open or needs STOCKD_METRICS_SCOPE; GET /docs and /asyncapi and what lies under
 * them (the OpenAPI document with its UI, the AsyncAPI document) are open: contracts, which say
 * among other things which scope each route needs.
 */
export const routeRules: Readonly<Record<string, RouteAccess>> = {
  // Reads of stock.
  'GET /inventory': 'inventory:read',
  'GET /inventory/history': 'inventory:read',
  'GET /reservations/:id': 'inventory:read',
  // Holds.
  'POST /inventory/reserve': 'inventory:reserve',
  'POST /inventory/reserve/bulk': 'inventory:reserve',
  'POST /inventory/release': 'inventory:reserve',
  'POST /inventory/confirm': 'inventory:reserve',
  'PATCH /reservations/:id': 'inventory:reserve',
  // Orders (docs/architecture.md §4): read by id, or placed, changed and settled like holds.
  'GET /orders/:id': 'inventory:read',
  'POST /orders': 'inventory:reserve',
  'PATCH /orders/:id': 'inventory:reserve',
  'POST /orders/:id/confirm': 'inventory:reserve',
  'POST /orders/:id/cancel': 'inventory:reserve',
  // Stock administration.
  'POST /inventory/receipts': 'inventory:admin',
  'POST /inventory/adjustments': 'inventory:admin',
  'PUT /inventory/status': 'inventory:admin',
  // PostgreSQL reports.
  'GET /reports/levels': 'reports:read',
  'GET /reports/movements': 'reports:read',
  'GET /reports/reservations/:id/timeline': 'reports:read',
  // Probes: a load balancer or an orchestrator has no key.
  'GET /healthz': 'open',
  'GET /readyz': 'open',
};

const documentPrefixes = ['/docs', '/asyncapi', '/asyncapi.json'];

/**
 * The access of `method url`, or undefined for a route the table does not know. HEAD is GET's
 * (fastify adds a HEAD route for every GET one).
 */
export function routeAccessOf(
  method: string,
  url: string,
  metricsScope: ApiScope | undefined,
): RouteAccess | undefined {
  const verb = method === 'HEAD' ? 'GET' : method;
  if (verb === 'GET' && url === '/metrics') return metricsScope ?? 'open';
  if (verb === 'GET' && documentPrefixes.some((p) => url === p || url.startsWith(`${p}/`))) {
    return 'open';
  }
  return routeRules[`${verb} ${url}`];
}
