// Access control over a real socket, as `stockd serve` composes it: every route × {no key,
// unknown key, a key without the route's scope, a key with it} → the exact status and code, and
// nothing changes for a refused request. Then who did it (each event names its key), the
// per-key rate limit, and a search of every captured log line, error body and metric for the
// keys and their hashes. Reports run on a scratch reporting database, so their routes are there.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer } from '../../src/compose/server.ts';
import { apiKeyHashOf } from '../../src/config/api-key-hash.ts';
import type { ApiScope } from '../../src/config/api-scopes.ts';
import { loadConfig } from '../../src/config/config.ts';
import { routeRules } from '../../src/ingress/http/access/route-rules.ts';
import { reportingDatabase } from '../projection/support/reporting-db.ts';
import { tempDir } from '../support/temp-dir.ts';

/** One key per scope, each as a client holds it. */
const keys: Readonly<Record<string, { key: string; scopes: ApiScope[] }>> = {
  reader: { key: 'stockd_test-reader-Qm9vdGggc2VjcmV0', scopes: ['inventory:read'] },
  shop: { key: 'stockd_test-shop-c2hvcCBzZWNyZXQ', scopes: ['inventory:reserve'] },
  warehouse: { key: 'stockd_test-warehouse-d2FyZWhvdXNl', scopes: ['inventory:admin'] },
  analyst: { key: 'stockd_test-analyst-YW5hbHlzdCBrZXk', scopes: ['reports:read'] },
};
const unknownKey = 'stockd_test-nobody-bm9ib2R5IGtleQ';
const keyOf = (scope: ApiScope) =>
  Object.values(keys).find((entry) => entry.scopes.includes(scope))!.key;
/** A configured key that lacks `scope`. */
const keyWithout = (scope: ApiScope) =>
  Object.values(keys).find((entry) => !entry.scopes.includes(scope))!.key;

const env = (extra: Record<string, string> = {}) => ({
  HOST: '127.0.0.1',
  PORT: '0',
  STOCKD_PARTITIONS: '8',
  STOCKD_WORKERS: '1',
  STOCKD_LOG_LEVEL: 'trace',
  STOCKD_API_KEYS: Object.entries(keys)
    .map(([name, { key, scopes }]) => `${name} sha256:${apiKeyHashOf(key)} ${scopes.join(',')}`)
    .join('; '),
  STOCKD_METRICS_SCOPE: 'inventory:admin',
  ...extra,
});

/** Every line the server logs, at trace level. */
const logLines: string[] = [];
const captured = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
/** Every body the server answers. */
const bodies: string[] = [];

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

async function call(
  server: Server,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(key !== undefined && { authorization: `Bearer ${key}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const dir = tempDir('access');
let database: Awaited<ReturnType<typeof reportingDatabase>>;
let server: Server;
const as = (key: string | undefined) => ({
  get: (path: string) => call(server, 'GET', path, key),
  send: (method: string, path: string, body: unknown) => call(server, method, path, key, body),
});
const admin = as(keyOf('inventory:admin'));
const shop = as(keyOf('inventory:reserve'));

beforeAll(async () => {
  database = await reportingDatabase({ migrated: false });
  const config = loadConfig(env({ STOCKD_DATA_DIR: dir.path, DATABASE_URL: database.url }));
  server = await startServer(config, pino({ level: 'trace' }, captured));
  await admin.send('POST', '/inventory/receipts', { sku: 'A-1', warehouseId: 'W', quantity: 100 });
});
afterAll(async () => {
  await server?.stop();
  await database?.close();
  dir.remove();
});

/** A new hold on A-1, made by the shop: the target of a release, a confirm or a change. */
async function heldReservation(): Promise<string> {
  const idempotencyKey = `o-${Math.random().toString(36).slice(2)}`;
  const held = await shop.send('POST', '/inventory/reserve', {
    idempotencyKey,
    sku: 'A-1',
    warehouseId: 'W',
    quantity: 1,
  });
  expect(held.status).toBe(201);
  return held.json<{ reservationId: string }>().reservationId;
}

/** A new HELD order of one unit of A-1, placed by the shop: the target of the order routes. */
async function placedOrder(): Promise<string> {
  const orderId = `order-${Math.random().toString(36).slice(2)}`;
  const placed = await shop.send('POST', '/orders', {
    orderId,
    lines: [{ sku: 'A-1', warehouseId: 'W', quantity: 1 }],
  });
  expect(placed.status).toBe(201);
  return orderId;
}

interface Sample {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

// route, the request (prepared fresh for every case), the status with the right key.
type Row = [route: string, prepare: () => Promise<Sample>, allowed: number];
const item = 'sku=A-1&warehouse-id=W';
const rows: Row[] = [
  ['GET /inventory', async () => ({ method: 'GET', path: `/inventory?${item}` }), 200],
  [
    'GET /inventory/history',
    async () => ({ method: 'GET', path: `/inventory/history?${item}` }),
    200,
  ],
  [
    'GET /reservations/:id',
    async () => ({ method: 'GET', path: `/reservations/${await heldReservation()}` }),
    200,
  ],
  [
    'POST /inventory/reserve',
    async () => ({
      method: 'POST',
      path: '/inventory/reserve',
      body: { orderId: `o-${Math.random()}`, sku: 'A-1', warehouseId: 'W', quantity: 1 },
    }),
    201,
  ],
  [
    'POST /inventory/reserve/bulk',
    async () => ({
      method: 'POST',
      path: '/inventory/reserve/bulk',
      body: {
        items: [{ orderId: `o-${Math.random()}`, sku: 'A-1', warehouseId: 'W', quantity: 1 }],
      },
    }),
    200,
  ],
  [
    'POST /inventory/release',
    async () => ({
      method: 'POST',
      path: '/inventory/release',
      body: { reservationId: await heldReservation() },
    }),
    200,
  ],
  [
    'POST /inventory/confirm',
    async () => ({
      method: 'POST',
      path: '/inventory/confirm',
      body: { reservationId: await heldReservation() },
    }),
    200,
  ],
  [
    'PATCH /reservations/:id',
    async () => ({
      method: 'PATCH',
      path: `/reservations/${await heldReservation()}`,
      body: { quantity: 2 },
    }),
    200,
  ],
  [
    'POST /inventory/receipts',
    async () => ({
      method: 'POST',
      path: '/inventory/receipts',
      body: { sku: 'A-1', warehouseId: 'W', quantity: 5 },
    }),
    200,
  ],
  [
    'POST /inventory/adjustments',
    async () => ({
      method: 'POST',
      path: '/inventory/adjustments',
      body: { sku: 'A-1', warehouseId: 'W', delta: 1, reason: 'count' },
    }),
    200,
  ],
  [
    'PUT /inventory/status',
    async () => ({
      method: 'PUT',
      path: '/inventory/status',
      body: { sku: 'A-1', warehouseId: 'W', status: 'ACTIVE' },
    }),
    200,
  ],
  [
    'POST /orders',
    async () => ({
      method: 'POST',
      path: '/orders',
      body: {
        orderId: `order-${Math.random().toString(36).slice(2)}`,
        lines: [{ sku: 'A-1', warehouseId: 'W', quantity: 1 }],
      },
    }),
    201,
  ],
  ['GET /orders/:id', async () => ({ method: 'GET', path: `/orders/${await placedOrder()}` }), 200],
  [
    'PATCH /orders/:id',
    async () => ({
      method: 'PATCH',
      path: `/orders/${await placedOrder()}`,
      body: { lines: [{ sku: 'A-1', warehouseId: 'W', quantity: 2 }] },
    }),
    200,
  ],
  [
    'POST /orders/:id/confirm',
    async () => ({ method: 'POST', path: `/orders/${await placedOrder()}/confirm`, body: {} }),
    200,
  ],
  [
    'POST /orders/:id/cancel',
    async () => ({ method: 'POST', path: `/orders/${await placedOrder()}/cancel` }),
    200,
  ],
  ['GET /reports/levels', async () => ({ method: 'GET', path: `/reports/levels?${item}` }), 200],
  [
    'GET /reports/movements',
    async () => ({
      method: 'GET',
      path: '/reports/movements?warehouse-id=W&from=2030-01-01&to=2030-01-02',
    }),
    200,
  ],
  [
    'GET /reports/reservations/:id/timeline',
    async () => ({ method: 'GET', path: '/reports/reservations/rsv-1-1/timeline' }),
    404,
  ],
];
// Routes whose rule comes from the configuration or that are open.
const metricsRow: Row = ['GET /metrics', async () => ({ method: 'GET', path: '/metrics' }), 200];
const openRows: Row[] = [
  ['GET /healthz', async () => ({ method: 'GET', path: '/healthz' }), 200],
  ['GET /readyz', async () => ({ method: 'GET', path: '/readyz' }), 200],
  ['GET /docs/json', async () => ({ method: 'GET', path: '/docs/json' }), 200],
  ['GET /asyncapi', async () => ({ method: 'GET', path: '/asyncapi' }), 200],
  ['GET /asyncapi.json', async () => ({ method: 'GET', path: '/asyncapi.json' }), 200],
];

/** What a refused request must leave as it was: A-1's levels, events and holds. */
async function stateOfItem(): Promise<string> {
  const reader = as(keyOf('inventory:read'));
  const levels = await reader.get(`/inventory?${item}`);
  const history = await reader.get(`/inventory/history?${item}&limit=10000`);
  return `${levels.text}\n${history.json<{ events: unknown[] }>().events.length}`;
}

const scopeOf = (route: string): ApiScope =>
  route === 'GET /metrics' ? 'inventory:admin' : (routeRules[route] as ApiScope);

describe('every route × every kind of caller', () => {
  it('covers every route the server has, and only open ones go without a scope', () => {
    const served = Object.keys(routeRules).filter((route) => {
      const [method, url] = route.split(' ') as [string, string];
      return server.app.hasRoute({ method: method as 'GET', url });
    });
    const tested = [...rows, ...openRows].map(([route]) => route);
    expect(served.filter((route) => !tested.includes(route))).toEqual([]);
    for (const [route] of rows) expect(routeRules[route], route).not.toBe('open');
  });

  type Case = [
    caller: string,
    key: (scope: ApiScope) => string | undefined,
    status: number,
    code: string,
  ];
  const refusals: Case[] = [
    ['no key', () => undefined, 401, 'UNAUTHENTICATED'],
    ['an unknown key', () => unknownKey, 401, 'UNAUTHENTICATED'],
    ['a key without the scope', keyWithout, 403, 'FORBIDDEN'],
  ];
  const cases = [...rows, metricsRow].flatMap(([route, prepare, allowed]) => [
    ...refusals.map(([caller, key, status, code]) => ({
      route,
      prepare,
      caller,
      key,
      status,
      code,
    })),
    {
      route,
      prepare,
      caller: 'a key with the scope',
      key: keyOf,
      status: allowed,
      code: undefined,
    },
  ]);

  it.each(cases)(
    '$route, $caller → $status $code',
    async ({ route, prepare, key, status, code }) => {
      const sample = await prepare();
      const before = await stateOfItem();
      const answer = await call(
        server,
        sample.method,
        sample.path,
        key(scopeOf(route)),
        sample.body,
      );
      expect(answer.status).toBe(status);
      if (code === undefined) return;
      expect(answer.json()).toMatchObject({ statusCode: status, code, retriable: false });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="stockd"/);
      if (code === 'FORBIDDEN') expect(answer.json().message).toContain(scopeOf(route));
      expect(await stateOfItem()).toBe(before);
    },
  );

  it.each(
    openRows.flatMap(([route, prepare, allowed]) =>
      [undefined, unknownKey, keyOf('inventory:read')].map((key) => ({
        route,
        prepare,
        key,
        allowed,
      })),
    ),
  )('$route is open: $allowed with key $key', async ({ prepare, key, allowed }) => {
    const sample = await prepare();
    expect((await call(server, sample.method, sample.path, key)).status).toBe(allowed);
  });
});

describe('who did it', () => {
  it("records each command's key name as the actor of its events", async () => {
    await admin.send('POST', '/inventory/receipts', {
      sku: 'WHO-1',
      warehouseId: 'W',
      quantity: 9,
    });
    const held = await shop.send('POST', '/inventory/reserve', {
      orderId: 'who-1',
      sku: 'WHO-1',
      warehouseId: 'W',
      quantity: 2,
    });
    await shop.send('POST', '/inventory/confirm', { reservationId: held.json().reservationId });
    const history = await as(keyOf('inventory:read')).get(
      '/inventory/history?sku=WHO-1&warehouse-id=W',
    );
    expect(history.json<{ events: { type: string; actor?: string }[] }>().events).toEqual([
      expect.objectContaining({ type: 'StockReceived', actor: 'warehouse' }),
      expect.objectContaining({ type: 'StockReserved', actor: 'shop' }),
      expect.objectContaining({ type: 'ReservationConfirmed', actor: 'shop' }),
    ]);
  });

  it("records the key name on an order's events and on its lines' events", async () => {
    await admin.send('POST', '/inventory/receipts', {
      sku: 'WHO-2',
      warehouseId: 'W',
      quantity: 9,
    });
    const placed = await shop.send('POST', '/orders', {
      orderId: 'who-order-1',
      lines: [{ sku: 'WHO-2', warehouseId: 'W', quantity: 3 }],
    });
    expect(placed.status).toBe(201);
    expect((await shop.send('POST', '/orders/who-order-1/confirm', {})).status).toBe(200);
    const reader = as(keyOf('inventory:read'));
    const history = await reader.get('/inventory/history?sku=WHO-2&warehouse-id=W');
    expect(history.json<{ events: { type: string; actor?: string }[] }>().events).toEqual([
      expect.objectContaining({ type: 'StockReceived', actor: 'warehouse' }),
      expect.objectContaining({ type: 'StockReserved', actor: 'shop' }),
      expect.objectContaining({ type: 'ReservationConfirmed', actor: 'shop' }),
    ]);
    const order = await reader.get('/orders/who-order-1');
    const { timeline } = order.json<{ timeline: { type: string; actor?: string }[] }>();
    expect(timeline.map(({ type, actor }) => ({ type, actor }))).toEqual([
      { type: 'OrderPlaced', actor: 'shop' },
      { type: 'OrderHeld', actor: 'shop' },
      { type: 'OrderConfirmed', actor: 'shop' },
      { type: 'OrderSettled', actor: 'shop' },
    ]);
  });
});

describe('the OpenAPI document', () => {
  it('names the security scheme and the scope of every scoped route', async () => {
    const document = (await call(server, 'GET', '/docs/json', undefined)).json<{
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<
        string,
        Record<
          string,
          { security?: Record<string, string[]>[]; responses: Record<string, unknown> }
        >
      >;
    }>();
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const operation = document.paths['/inventory/receipts']!.post!;
    expect(operation.security).toEqual([{ apiKey: ['inventory:admin'] }]);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(document.paths['/reservations/{id}']!.get!.security).toEqual([
      { apiKey: ['inventory:read'] },
    ]);
    expect(document.paths['/healthz']!.get!.security).toBeUndefined();
  });
});

describe('the rate limit per key', () => {
  const limited = tempDir('access-limit');
  let other: Server;
  beforeAll(async () => {
    const config = loadConfig(
      env({
        STOCKD_DATA_DIR: limited.path,
        STOCKD_RATE_LIMIT_REQUESTS_MAX: '3',
        STOCKD_RATE_LIMIT_WINDOW_MS: '3600000',
      }),
    );
    other = await startServer(config, pino({ level: 'trace' }, captured));
  });
  afterAll(async () => {
    await other?.stop();
    limited.remove();
  });

  it('answers 429 RATE_LIMITED with Retry-After to the key over its limit, and only to it', async () => {
    const path = `/inventory?${item}`;
    const reader = keyOf('inventory:read');
    for (let i = 0; i < 3; i++) expect((await call(other, 'GET', path, reader)).status).toBe(200);
    const over = await call(other, 'GET', path, reader);
    expect(over.status).toBe(429);
    expect(over.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', retriable: true });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key has a window of its own; probes are never limited.
    expect((await call(other, 'GET', path, keys.shop!.key)).status).toBe(403);
    expect((await call(other, 'GET', '/healthz', reader)).status).toBe(200);
  });
});

describe('secrets', () => {
  it('never appear in a log line, an error body or a metric', async () => {
    const metrics = await admin.get('/metrics');
    const everything = [...logLines, ...bodies, metrics.text];
    // The refusals above are logged at debug, by key name.
    expect(logLines.filter((line) => line.includes('"forbidden"')).length).toBeGreaterThan(10);
    const secrets = [...Object.values(keys).map(({ key }) => key), unknownKey];
    for (const secret of secrets) {
      const hash = apiKeyHashOf(secret);
      const found = everything.filter((line) => line.includes(secret) || line.includes(hash));
      expect(found, secret).toEqual([]);
    }
  });
});
