// The reporting database refuses connections for a while — `ALTER DATABASE … ALLOW_CONNECTIONS
// false` and every session of it terminated, as an operator does for maintenance — while stockd
// (composed as `serve` composes it, on the shared broker and a scratch database of its own)
// keeps taking commands. The projector keeps retrying however long it lasts, reports answer
// 503 NOT_READY, /readyz shows the projector degraded with a lag that grows in events and in
// seconds; once connections are allowed again it resumes by itself, and the tables hold every
// event exactly once: the same as a projection that never saw the outage. What retrying cannot
// fix (a violated constraint) stops it for good instead, visibly: failed in /readyz, the lag
// still growing.
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { composeService, type Service } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { isWireOrderEvent, type WireEntry, type WireEvent } from '../../src/kafka/wire-event.ts';
import { type ManualClock, manualClock } from '../../src/worker-protocol/clock.ts';
import { expectCompleteEventStream } from '../kafka/event-stream.ts';

const isItemWireEvent = (entry: WireEntry): entry is WireEvent => !isWireOrderEvent(entry);

import { deleteTopics, readTopic, testClient, uniqueKafkaConfig } from '../kafka/kafka-test-kit.ts';
import { testEpochMs } from '../support/http-app.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { applyEvents } from './support/apply-events.ts';
import { testBrokers } from './support/event-topic.ts';
import { metricValue } from './support/projection-under-test.ts';
import { projectedContents, reportingDatabase } from './support/reporting-db.ts';

const partitionCount = 4;
const itemCount = 12;
const serverUrl =
  (inject('databaseUrl') as string | undefined) ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface ComponentBody {
  state: string;
  reason?: string;
  lagEvents?: number;
  lagSeconds?: number;
}

/** Statements of the server's superuser on the scratch database (from the server's own). */
async function asAdmin(sql: string, parameters: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql, parameters);
  } finally {
    await client.end();
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function refuseConnections(database: string): Promise<void> {
  await asAdmin(`ALTER DATABASE ${quoted(database)} ALLOW_CONNECTIONS false`);
  await asAdmin(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
}

async function allowConnections(database: string): Promise<void> {
  await asAdmin(`ALTER DATABASE ${quoted(database)} ALLOW_CONNECTIONS true`);
}

describe('the projector when the reporting database fails', () => {
  const brokers = testBrokers();
  const kafka = uniqueKafkaConfig(brokers, 'pg-outage');
  const dataDir = tempDir('pg-outage');
  const logger = pino({ level: process.env.STOCKD_TEST_LOG_LEVEL ?? 'silent' });
  let database: ScratchDatabase;
  let clock: ManualClock;
  let service: Service;

  beforeAll(async () => {
    database = await createScratchDatabase(serverUrl, 'stockd_outage');
    clock = manualClock(testEpochMs);
    const config = loadConfig({
      STOCKD_DATA_DIR: dataDir.path,
      STOCKD_PARTITIONS: `${partitionCount}`,
      STOCKD_WORKERS: '1',
      KAFKA_BROKERS: brokers.join(','),
      STOCKD_KAFKA_CLIENT_ID: kafka.clientId,
      STOCKD_KAFKA_GROUP: kafka.consumerGroup,
      STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
      STOCKD_TOPIC_RESULTS: kafka.topics.results,
      STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: kafka.topics.events,
      DATABASE_URL: database.url,
      STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '25',
      STOCKD_PROJECTOR_RETRY_INITIAL_MS: '20',
      STOCKD_PROJECTOR_RETRY_MAX_MS: '300',
      STOCKD_PROJECTOR_LAG_POLL_MS: '100',
      STOCKD_PROJECTOR_SESSION_TIMEOUT_MS: '10000',
      STOCKD_REPORTS_CONNECT_TIMEOUT_MS: '1000',
    });
    service = await composeService(config, logger, {
      clock,
      onFatal: (error) => {
        throw error;
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    if (database !== undefined) {
      await allowConnections(database.name).catch(() => {});
      await database.drop();
    }
    await deleteTopics(brokers, kafka);
    dataDir.remove();
  });

  const get = (url: string) => service.app.inject(url);
  const post = async (url: string, payload: object) => {
    const response = await service.app.inject({ method: 'POST', url, payload });
    expect(response.statusCode, response.body).toBeLessThan(300);
  };
  const projector = async (): Promise<ComponentBody> =>
    (await get('/readyz')).json().components.projector;
  const reserve = async (from: number, count: number) => {
    for (let n = from; n < from + count; n++) {
      await post('/inventory/reserve', {
        idempotencyKey: `order-${n}`,
        sku: `SKU-${n % itemCount}`,
        warehouseId: 'WH-1',
        quantity: 1,
        ttlSeconds: 3_600,
      });
    }
  };

  it('refusing connections for a while: retries until it is back, reports answer 503 meanwhile, every event projected once', async () => {
    await post('/inventory/receipts', {
      items: Array.from({ length: itemCount }, (_, i) => ({
        sku: `SKU-${i}`,
        warehouseId: 'WH-1',
        quantity: 100,
      })),
    });
    await reserve(0, 40);
    await waitFor(
      async () => {
        const levels = await get('/reports/levels?warehouse-id=WH-1');
        const reserved = levels.statusCode === 200 ? levels.json().levels : [];
        return (
          reserved.reduce((sum: number, l: { reservedQty: number }) => sum + l.reservedQty, 0) ===
          40
        );
      },
      { timeoutMs: 60_000, what: 'the first events in the reports' },
    );
    expect(await projector()).toMatchObject({ state: 'running', lagEvents: 0, lagSeconds: 0 });

    await refuseConnections(database.name);
    await reserve(40, 30); // the engine does not notice
    await waitFor(async () => (await projector()).state === 'degraded', {
      timeoutMs: 60_000,
      what: 'the projector to find the database refusing connections',
    });
    const readiness = await get('/readyz');
    expect(readiness.statusCode).toBe(200); // the engine serves: keep this instance in rotation
    expect(readiness.json()).toMatchObject({
      status: 'degraded',
      components: {
        engine: { state: 'running' },
        relay: { state: 'running' },
        projector: { state: 'degraded', reason: expect.stringContaining('55000') },
      },
    });
    for (const url of [
      '/reports/levels?warehouse-id=WH-1',
      '/reports/reservations/rsv-0-1/timeline',
    ]) {
      const report = await get(url);
      expect(report.statusCode, url).toBe(503);
      expect(report.json(), url).toMatchObject({ code: 'NOT_READY', retriable: true });
      expect(report.headers['retry-after'], url).toBe('5');
    }

    // However long it lasts: many more attempts than any budget, and the lag keeps growing.
    await waitFor(async () => (await projector()).lagEvents! >= 30, {
      timeoutMs: 30_000,
      what: 'the lag to count the events of the outage',
    });
    const before = await projector();
    const retriesBefore = await metricValue(service.metrics, 'stockd_projection_retries_total');
    clock.advance(120_000);
    await reserve(70, 20);
    await waitFor(async () => (await projector()).lagEvents! >= 50, {
      timeoutMs: 30_000,
      what: 'the lag to grow',
    });
    await waitFor(
      async () =>
        (await metricValue(service.metrics, 'stockd_projection_retries_total')) >=
        retriesBefore + 10,
      { timeoutMs: 60_000, what: 'ten more attempts' },
    );
    const after = await projector();
    expect(after.state).toBe('degraded');
    expect(after.lagEvents!).toBeGreaterThan(before.lagEvents!);
    expect(after.lagSeconds!).toBeGreaterThanOrEqual(before.lagSeconds! + 120);
    const metrics = (await get('/metrics')).body;
    expect(metrics).toContain('stockd_component_state{component="projector",state="degraded"} 1');
    expect(metrics).toMatch(/^stockd_projection_lag_seconds (\d+)/m);
    expect(
      Number(/^stockd_projection_lag_seconds (\S+)/m.exec(metrics)![1]),
    ).toBeGreaterThanOrEqual(120);

    await allowConnections(database.name);
    await waitFor(
      async () => {
        const status = await projector();
        return status.state === 'running' && status.lagEvents === 0;
      },
      { timeoutMs: 60_000, what: 'the projector to resume and catch up' },
    );
    expect((await get('/readyz')).json().status).toBe('ready');
    expect((await get('/reports/levels?warehouse-id=WH-1')).statusCode).toBe(200);

    // Exactly once: every logged event, no duplicate, the same tables as without an outage.
    const { engine } = service;
    const newestSeqs = Array.from({ length: partitionCount }, (_, p) =>
      newestLoggedSeq(engine.store, p),
    );
    const total = newestSeqs.reduce((sum, seq) => sum + seq, 0);
    expect(total).toBe(itemCount + 90); // a receipt per item, one event per reserve
    const projected = new pg.Pool({ connectionString: database.url, max: 2 });
    const reference = await reportingDatabase();
    const topic = await readTopic(testClient(brokers), kafka.topics.events);
    try {
      const { rows } = await projected.query(
        'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids FROM stockd.events',
      );
      expect(rows[0]).toEqual({ n: total, distinct_ids: total });
      await topic.until((received) => received.length >= total, 60_000, 'every event');
      const { events } = expectCompleteEventStream(
        topic.received,
        newestSeqs,
        engine.identity.storeId,
      );
      await applyEvents(reference.pool, events.filter(isItemWireEvent), () => 1_000);
      expect(await projectedContents(projected)).toEqual(await projectedContents(reference.pool));
    } finally {
      await topic.stop();
      await projected.end();
      await reference.close();
    }
  });

  it('stops for good on what retrying cannot fix, and says so in readiness while the lag grows', async () => {
    // A violated constraint on every insert: the same statement would fail the same way forever.
    const projected = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      await projected.query(`
        CREATE FUNCTION stockd.refuse_events() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END $$;
        CREATE TRIGGER refuse_events BEFORE INSERT ON stockd.events
          FOR EACH ROW EXECUTE FUNCTION stockd.refuse_events()`);
    } finally {
      await projected.end();
    }
    const retriesBefore = await metricValue(service.metrics, 'stockd_projection_retries_total');
    await reserve(90, 5);
    await waitFor(async () => (await projector()).state === 'failed', {
      timeoutMs: 60_000,
      what: 'the projector to fail',
    });
    const readiness = await get('/readyz');
    expect(readiness.statusCode).toBe(200);
    expect(readiness.json()).toMatchObject({
      status: 'degraded',
      components: { projector: { state: 'failed', reason: expect.stringContaining('23514') } },
    });
    expect(await metricValue(service.metrics, 'stockd_projection_retries_total')).toBe(
      retriesBefore,
    );
    const before = await projector();
    clock.advance(60_000);
    await reserve(95, 5);
    await waitFor(async () => (await projector()).lagEvents! >= before.lagEvents! + 5, {
      timeoutMs: 30_000,
      what: 'the lag to grow while stopped',
    });
    expect((await projector()).lagSeconds!).toBeGreaterThanOrEqual(before.lagSeconds! + 60);
    expect((await projector()).state).toBe('failed');
  });
});
