// The parts of access control that need no server: the keys' configuration, where stockd may
// listen without them, the key ring, and the rule table's deny-by-default.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { apiKeyHashOf } from '../../src/config/api-key-hash.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { exposureOf, exposureProblemOf, isLoopback } from '../../src/config/exposure.ts';
import { accessControl } from '../../src/ingress/http/access/access-plugin.ts';
import { createKeyRing } from '../../src/ingress/http/access/key-ring.ts';
import { routeAccessOf } from '../../src/ingress/http/access/route-rules.ts';
import { errorHandling } from '../../src/ingress/http/error-handler.ts';
import { tempDir } from '../support/temp-dir.ts';

const hash = apiKeyHashOf('k-1');
const entry = `shop sha256:${hash} inventory:read,inventory:reserve`;

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('API keys in the configuration', () => {
  it('are read from STOCKD_API_KEYS and the file STOCKD_API_KEYS_FILE names, by hash only', () => {
    const dir = tempDir('keys');
    const file = join(dir.path, 'api-keys');
    writeFileSync(
      file,
      `# the warehouse\nwarehouse sha256:${apiKeyHashOf('k-2')} inventory:admin\n\n`,
    );
    const { access } = loadConfig({ STOCKD_API_KEYS: `${entry};`, STOCKD_API_KEYS_FILE: file });
    dir.remove();
    expect(access).toEqual({
      authentication: 'on',
      keys: [
        { name: 'shop', sha256: hash, scopes: ['inventory:read', 'inventory:reserve'] },
        { name: 'warehouse', sha256: apiKeyHashOf('k-2'), scopes: ['inventory:admin'] },
      ],
      metricsScope: undefined,
      rateLimit: undefined,
    });
  });

  it('takes the metrics scope and the rate limit', () => {
    const { access } = loadConfig({
      STOCKD_API_KEYS: entry,
      STOCKD_METRICS_SCOPE: 'reports:read',
      STOCKD_RATE_LIMIT_REQUESTS_MAX: '500',
    });
    expect(access.metricsScope).toBe('reports:read');
    expect(access.rateLimit).toEqual({ requestsMax: 500, windowMs: 1_000 });
  });

  // entry (or variables), the problem reported. No problem ever quotes the entry: a key
  // pasted in place of its hash must not end up in a log or a terminal.
  it.each([
    [
      { STOCKD_API_KEYS: 'shop k-1 inventory:read' },
      'entry 1: key shop: the key must be given as sha256:<64 hex digits>',
    ],
    [
      { STOCKD_API_KEYS: `shop sha256:${hash}` },
      'entry 1: expected "<name> sha256:<hex> <scope>[,<scope>…]"',
    ],
    [
      { STOCKD_API_KEYS: `sh|op sha256:${hash} inventory:read` },
      'entry 1: the name must be 1 to 64 letters',
    ],
    [
      { STOCKD_API_KEYS: `shop sha256:${hash} inventory:write` },
      'scopes must be some of inventory:read, inventory:reserve, inventory:admin, reports:read (not inventory:write)',
    ],
    [
      { STOCKD_API_KEYS: `${entry}; shop sha256:${apiKeyHashOf('k-2')} reports:read` },
      'API key shop is configured twice',
    ],
    [
      { STOCKD_API_KEYS: `${entry}; other sha256:${hash} reports:read` },
      'API key other has the hash of another key',
    ],
    [
      { STOCKD_API_KEYS_FILE: '/nonexistent/api-keys' },
      'STOCKD_API_KEYS_FILE=/nonexistent/api-keys: cannot read it (ENOENT)',
    ],
    [
      { STOCKD_API_KEYS: entry, STOCKD_AUTH: 'off' },
      'STOCKD_AUTH=off turns authentication off, yet API keys are configured',
    ],
    [{ STOCKD_AUTH: 'maybe' }, 'STOCKD_AUTH=maybe: expected one of on, off'],
    [
      { STOCKD_METRICS_SCOPE: 'metrics' },
      'STOCKD_METRICS_SCOPE=metrics: expected one of open, inventory:read',
    ],
  ])('%o → %s', (env, problem) => {
    const problems = problemsOf(env);
    expect(problems).toEqual([expect.stringContaining(problem)]);
    expect(problems[0]).not.toContain('k-1 ');
  });
});

describe('where stockd listens without keys', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['LocalHost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['128.0.0.1', false],
    ['stockd.internal', false],
    ['127.0.0.1.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it.each([
    [{ HOST: '127.0.0.1' }, 'loopback'],
    [{ HOST: '0.0.0.0' }, 'refused'],
    [{ HOST: '0.0.0.0', STOCKD_API_KEYS: entry }, 'keys'],
    [{ HOST: '0.0.0.0', STOCKD_AUTH: 'off' }, 'open'],
    [{ HOST: '127.0.0.1', STOCKD_AUTH: 'off' }, 'open'],
  ] as const)('%o → %s', (env, exposure) => {
    const config = loadConfig(env);
    expect(exposureOf(config)).toBe(exposure);
    expect(exposureProblemOf(config) !== undefined).toBe(exposure === 'refused');
  });

  it('says how to fix a refusal', () => {
    expect(exposureProblemOf(loadConfig({ HOST: '0.0.0.0' }))).toMatch(
      /^HOST=0\.0\.0\.0 is reachable from other machines and no API key is configured: set STOCKD_API_KEYS or STOCKD_API_KEYS_FILE .*STOCKD_AUTH=off/,
    );
  });
});

describe('the key ring', () => {
  const ring = createKeyRing(
    loadConfig({ STOCKD_API_KEYS: `${entry}; admin sha256:${apiKeyHashOf('k-2')} inventory:admin` })
      .access.keys,
  );

  it.each([
    ['k-1', 'shop'],
    ['k-2', 'admin'],
    ['k-3', undefined],
    ['', undefined],
    [hash, undefined],
    ['k-1 ', undefined],
  ])('finds key %j: %s', (key, name) => {
    expect(ring.find(key)?.name).toBe(name);
  });

  it('gives a caller its scopes', () => {
    expect([...ring.find('k-1')!.scopes]).toEqual(['inventory:read', 'inventory:reserve']);
  });
});

describe('the rule table', () => {
  it.each([
    ['GET', '/inventory', undefined, 'inventory:read'],
    ['HEAD', '/inventory', undefined, 'inventory:read'],
    ['POST', '/inventory/receipts', undefined, 'inventory:admin'],
    ['POST', '/orders/:id/cancel', undefined, 'inventory:reserve'],
    ['GET', '/metrics', undefined, 'open'],
    ['GET', '/metrics', 'reports:read', 'reports:read'],
    ['GET', '/docs/static/index.html', undefined, 'open'],
    ['GET', '/asyncapi', undefined, 'open'],
    ['GET', '/asyncapi.json', undefined, 'open'],
    ['HEAD', '/asyncapi.json', undefined, 'open'],
    ['GET', '/asyncapi.yaml', undefined, undefined],
    ['GET', '/asyncapis', undefined, undefined],
    ['POST', '/docs/json', undefined, undefined],
    ['DELETE', '/inventory', undefined, undefined],
    ['GET', '/admin', undefined, undefined],
  ] as const)('%s %s (metrics: %s) → %s', (method, url, metricsScope, access) => {
    expect(routeAccessOf(method, url, metricsScope)).toBe(access);
  });

  it('denies by default: an app with a route that has no rule is not built', async () => {
    const app = Fastify();
    await app.register(errorHandling);
    await app.register(accessControl, { access: loadConfig({}).access });
    await expect(
      app.register(async (scope) => {
        scope.get('/inventory/secret', async () => ({}));
      }),
    ).rejects.toThrow(
      'GET /inventory/secret has no access rule: add it to src/ingress/http/access/route-rules.ts',
    );
    await app.close();
  });
});
