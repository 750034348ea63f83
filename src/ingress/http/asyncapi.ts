import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { parse } from 'yaml';

/**
 * The Kafka contract: docs/asyncapi.yaml (AsyncAPI 3.0: the command, result, dead-letter and
 * event topics, every message typed). Written by hand next to the code it describes and tested
 * against it (test/kafka/asyncapi-conformance.int.test.ts); served as it is at /asyncapi and as
 * JSON at /asyncapi.json, open like /docs (access/route-rules.ts). Hidden from the OpenAPI
 * document, which points to it in its description.
 */
export const asyncApiDocumentUrl = new URL('../../../docs/asyncapi.yaml', import.meta.url);

export const asyncApiRoutes: FastifyPluginAsync = async (scope) => {
  // Read once, when the app is built: a missing document fails the start, not a request.
  const yamlText = await readFile(asyncApiDocumentUrl, 'utf8');
  const jsonText = JSON.stringify(parse(yamlText));
  scope.get('/asyncapi', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(yamlText),
  );
  scope.get('/asyncapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(jsonText),
  );
};
