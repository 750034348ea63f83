import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { apiScopes } from '../../config/api-scopes.ts';
import { securitySchemeName } from './access/access-plugin.ts';

/**
 * OpenAPI generated from the routes' own JSON schemas, with its UI at /docs. Wrapped with
 * fastify-plugin: swagger collects routes through an onRoute hook, which must sit on the root
 * to see the routes of every group's scope. One tag per route group.
 */
export const openApi = fastifyPlugin(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'stockd',
          description:
            'Inventory reservations: hold, confirm and release stock per SKU and warehouse. ' +
            'Every error carries a stable `code`; see the error catalog in the README. ' +
            'The Kafka topics (commands, results, dead letters, events) are described by the ' +
            'AsyncAPI document at /asyncapi (YAML) and /asyncapi.json.',
          version: '1',
        },
        tags: [
          { name: 'inventory', description: 'Stock levels now or as of an instant, and history' },
          { name: 'stock', description: 'Stock administration: receipts, adjustments, status' },
          {
            name: 'reservations',
            description: 'Holds on stock: reserve, change, confirm, release',
          },
          {
            name: 'orders',
            description:
              'Orders of several lines: held all together or not at all, changed, confirmed, cancelled',
          },
          { name: 'operations', description: 'Liveness, readiness and Prometheus metrics' },
          { name: 'reports', description: 'PostgreSQL reports (when DATABASE_URL is set)' },
        ],
        components: {
          securitySchemes: {
            [securitySchemeName]: {
              type: 'http',
              scheme: 'bearer',
              description: `An API key, \`Authorization: Bearer <key>\`. Each route names the scope its key needs, one of ${apiScopes.join(', ')}: 401 UNAUTHENTICATED without a key or with an unknown one, 403 FORBIDDEN naming the missing scope. /healthz, /readyz, /docs and /asyncapi need none; /metrics needs STOCKD_METRICS_SCOPE when set.`,
            },
          },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'stockd-openapi' },
);
