/**
 * bench/projector — events per second from Kafka `inventory-events` into PostgreSQL through the
 * projector (`stockd project`): every event stored once, levels, reservations, quantity history,
 * daily closes and movements maintained, offsets committed after each transaction. Each figure
 * is taken on a fresh database, next to baselines from the same run:
 *   - the events table alone, multi-row inserts on one connection (no read models, no Kafka)
 *   - the projection's SQL alone (applyBatch on one connection, no Kafka)
 *   - a full redelivery (group offsets reset): every event a duplicate
 *
 *   npm run bench:projector [-- --events 200000 --partitions 8 --batch 2000]
 * Needs Kafka (KAFKA_BROKERS, default 127.0.0.1:9092) and a PostgreSQL server whose user may
 * create databases (STOCKD_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { pino } from 'pino';
import { runProjector } from '../src/compose/projection.ts';
import { loadConfig } from '../src/config/config.ts';
import { encodeWireEvent, type WireEvent } from '../src/kafka/wire-event.ts';
import { migrate } from '../src/postgres/migrator.ts';
import { applyBatch } from '../src/projection/apply-batch.ts';
import { planBatch } from '../src/projection/batch-planner.ts';
import { insertEvents } from '../src/projection/sql/events.ts';
import { createEventStream } from '../test/fixtures/wire-event-stream.ts';
import { messagesByPartition } from '../test/projection/support/apply-events.ts';
import { createTopics } from '../test/support/kafka-broker.ts';
import { createScratchDatabase } from '../test/support/postgres.ts';
import { caughtUp, publishEvents } from './support/projector-load.ts';
import { heading, machine, perSecond, ratio, row } from './support/report.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '8' },
    batch: { type: 'string', default: '2000' },
  },
});
const eventCount = Number(values.events);
const partitionCount = Number(values.partitions);
const batchEventsMax = Number(values.batch);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const adminUrl = process.env.STOCKD_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = pino({ level: 'warn' });

async function withDatabase<T>(use: (url: string, pool: pg.Pool) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(adminUrl, 'stockd_bench');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  try {
    await migrate(pool);
    return await use(scratch.url, pool);
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return eventCount / ((performance.now() - startedAt) / 1000);
}

/** Baseline: the events table alone. */
function eventsTableOnly(events: readonly WireEvent[]): Promise<number> {
  return withDatabase((_url, pool) =>
    timed(async () => {
      for (let start = 0; start < events.length; start += batchEventsMax) {
        const batch = events.slice(start, start + batchEventsMax);
        await pool.query(insertEvents(batch, batch.map(encodeWireEvent)));
      }
    }),
  );
}

/** Baseline: the projection's SQL, partition after partition, no Kafka. */
function projectionSqlOnly(events: readonly WireEvent[]): Promise<number> {
  return withDatabase(async (_url, pool) => {
    const plans = [...messagesByPartition(events)].flatMap(([partition, messages]) => {
      const runs = [];
      for (let start = 0; start < messages.length; start += batchEventsMax) {
        runs.push(planBatch('bench', partition, messages.slice(start, start + batchEventsMax)));
      }
      return runs;
    });
    return timed(async () => {
      for (const plan of plans) await applyBatch(pool, plan);
    });
  });
}

/** The projector from Kafka; then, on the same database, a full redelivery. */
function projector(topic: string, partitionsConcurrently: number) {
  return withDatabase(async (url) => {
    const config = loadConfig({
      KAFKA_BROKERS: brokers.join(','),
      DATABASE_URL: url,
      STOCKD_LOG_LEVEL: 'warn',
      STOCKD_PROJECTOR_BATCH_EVENTS_MAX: String(batchEventsMax),
      STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY: String(partitionsConcurrently),
    });
    const groupId = `stockd-bench-projector-${randomUUID()}`;
    const kafka = new Kafka({ clientId: 'stockd-bench', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const run = async () => {
      const projection = await runProjector(config, logger, { groupId, topic });
      const rate = await timed(() => caughtUp(admin, groupId, topic));
      await projection.stop();
      return rate;
    };
    try {
      const first = await run();
      await admin.resetOffsets({ groupId, topic, earliest: true });
      const redelivery = await run();
      return { first, redelivery };
    } finally {
      await admin.disconnect();
    }
  });
}

machine();
const stream = createEventStream({
  seed: 42,
  partitionCount,
  skuCount: 5_000,
  warehouseCount: 4,
  stepMsMax: 60,
});
const events = stream.take(eventCount);
const reservationEvents = events.filter((event) => event.reservationId !== undefined).length;
console.log(
  `${eventCount.toLocaleString('en-US')} events (${Math.round((100 * reservationEvents) / eventCount)}% reservation events) on ${stream.items.size.toLocaleString('en-US')} items, ${partitionCount} partitions, ≤ ${batchEventsMax} events per transaction`,
);

const topic = `stockd-bench-events-${randomUUID()}`;
await createTopics(brokers, [{ topic, numPartitions: partitionCount }]);
const kafka = new Kafka({ clientId: 'stockd-bench', brokers, logLevel: logLevel.NOTHING });
try {
  heading('publishing to Kafka (setup)');
  row('producer, acks=all', perSecond(await timed(() => publishEvents(kafka, topic, events))));

  heading('events/s into PostgreSQL');
  const tableOnly = await eventsTableOnly(events);
  row('baseline: events table only, 1 connection', perSecond(tableOnly));
  const sqlOnly = await projectionSqlOnly(events);
  row('baseline: projection SQL only (no Kafka), 1 connection', perSecond(sqlOnly));
  for (const concurrency of [1, 2]) {
    const { first, redelivery } = await projector(topic, concurrency);
    row(`projector, Kafka → PostgreSQL, ${concurrency} partition(s) at once`, perSecond(first));
    row('  vs projection SQL only', ratio(first / sqlOnly));
    row('  vs events table only', ratio(first / tableOnly));
    row('  full redelivery (all duplicates)', perSecond(redelivery));
  }
} finally {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
}
