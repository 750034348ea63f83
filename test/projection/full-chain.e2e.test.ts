// The whole chain on real services: a mixed load through stockd's HTTP API → engine → LMDB log
// → relay → Kafka `inventory-events` → projector → PostgreSQL. Afterwards every event of
// stockd's log is in PostgreSQL exactly once (per partition, seq 1…newest, none missing, none
// twice), the projected levels are stockd's levels for every item, reservations carry the
// quantity history stockd shows, and the as-of report for past instants answers what stockd's
// own `GET /inventory?asOf=` answers.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/app/inventory.ts';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import type { Projection } from '../../src/compose/projection.ts';
import { type Server, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { buildApp } from '../../src/ingress/http/app.ts';
import { reportsPlugin } from '../../src/reports/reports-plugin.ts';
import { tempDir } from '../support/temp-dir.ts';
import { testBrokers, waitUntilCaughtUp } from './support/event-topic.ts';
import { metricValue, quietLogger, startTestProjection } from './support/projection-under-test.ts';
import { reportingDatabase } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;

/** The fields of stockd's answers this test reads. */
interface Answer {
  reservationId: string;
  levels: object[];
  status: string;
  quantity: number;
  version: number;
  idempotencyKey: string;
  history: object[];
}

const skus = Array.from({ length: 8 }, (_, i) => `SKU-${i}`);
const warehouses = ['WH-A', 'WH-B', 'WH-C'];

describe('full chain: HTTP → engine → relay → Kafka → projector → PostgreSQL', () => {
  const dataDir = tempDir('full-chain');
  const suffix = randomUUID();
  const brokers = testBrokers();
  const eventsTopic = `stockd-e2e-events-${suffix}`;
  let server: Server;
  let database: Database;
  let projection: Projection & { groupId: string };
  let reports: FastifyInstance;
  const instants: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };

  beforeAll(async () => {
    const config = loadConfig({
      STOCKD_DATA_DIR: dataDir.path,
      PORT: '0',
      STOCKD_PARTITIONS: '4',
      STOCKD_WORKERS: '2',
      STOCKD_LOG_LEVEL: 'silent',
      KAFKA_BROKERS: brokers.join(','),
      STOCKD_KAFKA_GROUP: `stockd-e2e-${suffix}`,
      STOCKD_TOPIC_COMMANDS: `stockd-e2e-commands-${suffix}`,
      STOCKD_TOPIC_RESULTS: `stockd-e2e-results-${suffix}`,
      STOCKD_TOPIC_DLQ: `stockd-e2e-dlq-${suffix}`,
      STOCKD_TOPIC_EVENTS: eventsTopic,
    });
    [server, database] = await Promise.all([startServer(config, quietLogger), reportingDatabase()]);
    projection = await startTestProjection({
      brokers,
      databaseUrl: database.url,
      topic: eventsTopic,
      env: { STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '200' },
    });
    reports = await buildApp({
      inventory: {} as Inventory,
      engine: {} as Engine,
      config: loadConfig({}),
      metrics: new Registry(),
      logger: quietLogger,
      plugins: [reportsPlugin({ pool: database.pool })],
    });
  });

  afterAll(async () => {
    await projection?.stop();
    await reports?.close();
    await server?.stop();
    await database?.close();
    const admin = new Kafka({
      clientId: 'stockd-e2e',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin
      .deleteTopics({
        topics: [
          eventsTopic,
          ...['commands', 'results', 'dlq'].map((t) => `stockd-e2e-${t}-${suffix}`),
        ],
      })
      .catch(() => {});
    await admin.disconnect();
    dataDir.remove();
  });

  it('projects a mixed load exactly once, with stockd levels, histories and as-of answers', async () => {
    const items = skus.flatMap((sku) => warehouses.map((warehouseId) => ({ sku, warehouseId })));
    const received = await call('POST', '/inventory/receipts', {
      items: items.map((item) => ({ ...item, quantity: 40 })),
    });
    expect(received.status).toBe(200);

    const held: string[] = [];
    const all: string[] = [];
    let n = 0;
    const worker = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        const k = n++;
        const item = items[(k * 7) % items.length]!;
        const action = k % 10;
        if (action < 4 || held.length === 0) {
          const reserved = await call('POST', '/inventory/reserve', {
            idempotencyKey: `order-${suffix}-${k}`,
            ...item,
            quantity: 1 + (k % 4),
          });
          if (reserved.status === 201) {
            held.push(reserved.body.reservationId);
            all.push(reserved.body.reservationId);
          }
        } else if (action < 6) {
          const id = held[k % held.length]!;
          await call('PATCH', `/reservations/${id}`, { quantity: 1 + (k % 6) });
        } else if (action < 8) {
          const [id] = held.splice(k % held.length, 1);
          await call('POST', action === 6 ? '/inventory/confirm' : '/inventory/release', {
            reservationId: id,
          });
        } else if (action === 8) {
          await call('POST', '/inventory/adjustments', { ...item, delta: 3, reason: 'found' });
        } else {
          await call('POST', '/inventory/receipts', { ...item, quantity: 5 });
        }
      }
    };
    for (let phase = 0; phase < 3; phase++) {
      await Promise.all(Array.from({ length: 8 }, () => worker(60)));
      await sleep(5);
      instants.push(new Date().toISOString());
      await sleep(5);
    }
    await call('PUT', '/inventory/status', { ...items[0]!, status: 'INACTIVE' });

    // Everything published, then everything projected.
    for (let i = 0; (await metricValue(server.metrics, 'stockd_replication_lag_events')) > 0; i++) {
      if (i > 600) throw new Error('the relay did not publish everything');
      await sleep(100);
    }
    const admin = new Kafka({
      clientId: 'stockd-e2e',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await waitUntilCaughtUp(admin, projection.groupId, eventsTopic);
    } finally {
      await admin.disconnect();
    }

    // Every event exactly once: per partition, seqs 1…newest, each once.
    const { rows: perPartition } = await database.pool.query(
      `SELECT partition, count(*)::int AS events, count(DISTINCT seq)::int AS seqs,
              min(seq)::int AS first, max(seq)::int AS last
         FROM stockd.events GROUP BY partition ORDER BY partition`,
    );
    const expected = Array.from({ length: 4 }, (_, partition) =>
      newestLoggedSeq(server.engine.store, partition),
    )
      .map((newest, partition) => ({
        partition,
        events: newest,
        seqs: newest,
        first: 1,
        last: newest,
      }))
      .filter((row) => row.events > 0);
    expect(perPartition).toEqual(expected);
    expect(expected.reduce((sum, row) => sum + row.events, 0)).toBeGreaterThan(1_000);
    expect(all.length).toBeGreaterThan(100);

    // The projected levels are stockd's levels, item by item.
    for (const sku of skus) {
      const own = await call('GET', `/inventory?sku=${sku}&warehouse-id=${warehouses.join(',')}`);
      const projected = await reports.inject({ method: 'GET', url: `/reports/levels?sku=${sku}` });
      expect(projected.json().levels.map(withoutEventId)).toEqual(
        expect.arrayContaining(own.body.levels.map((levels: object) => ({ sku, ...levels }))),
      );
      expect(projected.json().levels).toHaveLength(own.body.levels.length);
    }

    // As of past instants, the report answers what stockd answers (and the past differs).
    const answers = new Set<string>();
    for (const asOf of instants) {
      for (const sku of skus) {
        const own = await call(
          'GET',
          `/inventory?sku=${sku}&warehouse-id=${warehouses.join(',')}&asOf=${asOf}`,
        );
        expect(own.status).toBe(200);
        const projected = await reports.inject({
          method: 'GET',
          url: `/reports/levels?sku=${sku}&asOf=${asOf}`,
        });
        expect(projected.json().levels.map(withoutEventId)).toEqual(
          own.body.levels.map((levels: object) => ({ sku, ...levels })),
        );
        answers.add(`${sku} ${JSON.stringify(own.body.levels)}`);
      }
    }
    expect(answers.size).toBeGreaterThan(skus.length * 2);

    // Each reservation: stockd's state and quantity history, as projected.
    for (const id of all.slice(0, 60)) {
      const own = await call('GET', `/reservations/${id}`);
      const timeline = (
        await reports.inject({ method: 'GET', url: `/reports/reservations/${id}/timeline` })
      ).json();
      expect(timeline.reservation).toMatchObject({
        status: own.body.status,
        quantity: own.body.quantity,
        version: own.body.version,
        idempotencyKey: own.body.idempotencyKey,
        totalAdjustments: own.body.history.length - 1,
      });
      const changes = timeline.timeline
        .filter(
          (e: { type: string }) => e.type === 'StockReserved' || e.type === 'ReservationAdjusted',
        )
        .map((e: { version: number; delta: number; quantity: number; at: string }) => ({
          version: e.version,
          delta: e.delta,
          quantity: e.quantity,
          at: e.at,
        }));
      expect(changes).toEqual(own.body.history);
    }
  });
});

function withoutEventId({ lastEventId: _, ...levels }: Record<string, unknown>) {
  return levels;
}
