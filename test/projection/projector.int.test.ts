// The projector on a real Kafka broker and a real PostgreSQL: every event in PostgreSQL exactly
// once with the levels stockd holds; a redelivered range (the group's offsets reset) changes
// nothing; messages that are not stockd events are kept aside without stopping the projection.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjection } from '../../src/compose/projection.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { encodeWireEvent } from '../../src/kafka/wire-event.ts';
import { createEventStream } from '../fixtures/wire-event-stream.ts';
import { waitFor } from '../support/wait-for.ts';
import { eventTopic, testBrokers } from './support/event-topic.ts';
import { metricValue, quietLogger, startTestProjection } from './support/projection-under-test.ts';
import { reportingDatabase, tableContents } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;
type Topic = Awaited<ReturnType<typeof eventTopic>>;

describe('projector', () => {
  const partitionCount = 4;
  const stream = createEventStream({ seed: 11, partitionCount, stepMsMax: 10 * 60_000 });
  let database: Database;
  let topic: Topic;

  beforeAll(async () => {
    [database, topic] = await Promise.all([reportingDatabase(), eventTopic(partitionCount)]);
  });

  afterAll(async () => {
    await Promise.allSettled([database?.close(), topic?.close()]);
  });

  it('stores every event exactly once, with the levels stockd holds', async () => {
    await topic.publish(stream.take(4_000));
    const projection = await startTestProjection({
      brokers: topic.brokers,
      databaseUrl: database.url,
      topic: topic.topic,
      // Small transactions: many batches, several per fetch.
      env: { STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '150' },
    });
    try {
      await topic.publish(stream.take(2_000)); // while it runs
      await topic.waitUntilCaughtUp(projection.groupId);
      const { rows } = await database.pool.query(
        'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids FROM stockd.events',
      );
      expect(rows[0]).toEqual({ n: 6_000, distinct_ids: 6_000 });
      await expectLevelsOfStream(database, stream);
      expect(
        await metricValue(projection.metrics, 'stockd_projection_events_total', {
          result: 'inserted',
        }),
      ).toBe(6_000);
      expect(await metricValue(projection.metrics, 'stockd_projection_lag_events')).toBe(0);
      const progress = await database.pool.query(
        'SELECT kafka_partition, last_offset::int FROM stockd.projection_progress WHERE topic = $1',
        [topic.topic],
      );
      const ends = await topic.admin.fetchTopicOffsets(topic.topic);
      expect(new Map(progress.rows.map((r) => [r.kafka_partition, r.last_offset]))).toEqual(
        new Map(ends.map((end) => [end.partition, Number(end.high) - 1])),
      );
    } finally {
      await projection.stop();
    }
  });

  it('changes nothing when a range of events is delivered again (group offsets reset)', async () => {
    const groupId = `stockd-projection-it-redelivery-${Date.now()}`;
    const first = await startTestProjection({
      brokers: topic.brokers,
      databaseUrl: database.url,
      topic: topic.topic,
      groupId,
    });
    await topic.waitUntilCaughtUp(groupId);
    await first.stop();
    const before = await tableContents(database.pool);

    // Everything again from the start, then from the middle of each partition.
    for (const reset of ['earliest', 'middle'] as const) {
      if (reset === 'earliest') {
        await topic.admin.resetOffsets({ groupId, topic: topic.topic, earliest: true });
      } else {
        const ends = await topic.admin.fetchTopicOffsets(topic.topic);
        await topic.admin.setOffsets({
          groupId,
          topic: topic.topic,
          partitions: ends.map((end) => ({
            partition: end.partition,
            offset: String(Math.floor(Number(end.high) / 2)),
          })),
        });
      }
      const again = await startTestProjection({
        brokers: topic.brokers,
        databaseUrl: database.url,
        topic: topic.topic,
        groupId,
        env: { STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '333' },
      });
      await topic.waitUntilCaughtUp(groupId);
      const duplicates = await metricValue(again.metrics, 'stockd_projection_events_total', {
        result: 'duplicate',
      });
      await again.stop();
      expect(duplicates).toBeGreaterThan(reset === 'earliest' ? 5_999 : 2_000);
      expect(await tableContents(database.pool)).toEqual(before);
    }
  });

  it('keeps messages that are not stockd events aside and projects the rest', async () => {
    const [good] = stream.take(1);
    await topic.publishRaw(good!.partition, Buffer.from('not MessagePack'));
    await topic.publishRaw(good!.partition, null);
    await topic.publish([good!]);
    await topic.publishRaw(good!.partition, encodeWireEvent({ ...good!, availableQty: -1 }));
    const projection = await startTestProjection({
      brokers: topic.brokers,
      databaseUrl: database.url,
      topic: topic.topic,
    });
    try {
      await topic.waitUntilCaughtUp(projection.groupId);
      const { rows } = await database.pool.query(
        'SELECT reason FROM stockd.rejected_messages WHERE topic = $1 ORDER BY kafka_offset',
        [topic.topic],
      );
      expect(rows.map((r) => r.reason)).toEqual([
        expect.stringMatching(/^undecodable/),
        'empty message',
        'availableQty is not totalQty - reservedQty',
      ]);
      const stored = await database.pool.query('SELECT 1 FROM stockd.events WHERE event_id = $1', [
        good!.eventId,
      ]);
      expect(stored.rowCount).toBe(1);
      expect(
        await metricValue(projection.metrics, 'stockd_projection_events_total', {
          result: 'rejected',
        }),
      ).toBe(3);
    } finally {
      await projection.stop();
    }
  });
});

describe('projection lifecycle', () => {
  it('waits for an unreachable PostgreSQL at start, and stops cleanly while waiting', async () => {
    const config = loadConfig({
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/unreachable',
      STOCKD_LOG_LEVEL: 'silent',
      STOCKD_PROJECTOR_CONNECT_TIMEOUT_MS: '200',
      STOCKD_PROJECTOR_RETRY_INITIAL_MS: '20',
      STOCKD_PROJECTOR_RETRY_MAX_MS: '100',
    });
    const projection = startProjection(config, quietLogger, { metrics: new Registry() });
    await waitFor(() => projection.state === 'degraded', {
      timeoutMs: 30_000,
      what: 'the first failed migration',
    });
    expect(projection.status().reason).toMatch(/ECONNREFUSED/);
    await projection.stop();
    await expect(projection.ready).rejects.toThrow(/stopped before it started/);
    await expect(projection.done).resolves.toBeUndefined();
    expect(projection.state).toBe('stopped');
  });

  it('refuses to start without Kafka or PostgreSQL configured', () => {
    expect(() => startProjection(loadConfig({}), quietLogger)).toThrow(ConfigError);
  });
});

async function expectLevelsOfStream(
  database: Database,
  stream: ReturnType<typeof createEventStream>,
): Promise<void> {
  const { rows } = await database.pool.query(
    `SELECT sku, warehouse_id, total_qty::int, reserved_qty::int, status, item_version::int,
            last_applied_seq::int FROM stockd.levels`,
  );
  const projected = new Map(rows.map((row) => [itemKeyOf(row.sku, row.warehouse_id), row]));
  const expected = new Map(
    [...stream.items].map(([key, item]) => [
      key,
      {
        sku: item.sku,
        warehouse_id: item.warehouseId,
        total_qty: item.totalQty,
        reserved_qty: item.reservedQty,
        status: item.status,
        item_version: item.version,
        last_applied_seq: item.lastSeq,
      },
    ]),
  );
  expect(projected).toEqual(expected);
}
