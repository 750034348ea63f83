import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI generated from the routes' own JSON schemas, with its UI at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'stockd',
        description:
          'Inventory reservations: hold, confirm and release stock per SKU and warehouse. ' +
          'Every error carries a stable `code`; see the error catalog in the README.',
        version: '1',
      },
      tags: [
        { name: 'inventory', description: 'Stock levels, receipts, adjustments, history' },
        { name: 'reservations', description: 'Holds on stock: reserve, change, confirm, release' },
        { name: 'reports', description: 'PostgreSQL reports (when DATABASE_URL is set)' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
