// PostgreSQL restarts in the middle of a projection (a server of this test's own: the shared
// one is never touched). The projector rolls back, backs off, retries the same batches and
// commits no offset for events it has not stored: afterwards nothing is lost and nothing is
// doubled — the tables are exactly those of a projection that never saw an outage.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStream } from '../fixtures/wire-event-stream.ts';
import {
  type PostgresInstance,
  postgresBinDirectory,
  startPostgresInstance,
} from '../support/postgres-instance.ts';
import { waitFor } from '../support/wait-for.ts';
import { applyEvents } from './support/apply-events.ts';
import { eventTopic } from './support/event-topic.ts';
import { metricValue, startTestProjection } from './support/projection-under-test.ts';
import { projectedContents, reportingDatabase } from './support/reporting-db.ts';

type Topic = Awaited<ReturnType<typeof eventTopic>>;

describe.skipIf(postgresBinDirectory() === undefined)(
  'projector across a PostgreSQL restart',
  () => {
    const stream = createEventStream({ seed: 23, partitionCount: 4, stepMsMax: 5 * 60_000 });
    let server: PostgresInstance;
    let topic: Topic;

    beforeAll(async () => {
      [server, topic] = await Promise.all([startPostgresInstance(), eventTopic(4)]);
    });

    afterAll(async () => {
      await Promise.allSettled([server?.destroy(), topic?.close()]);
    });

    it('loses nothing and doubles nothing', async () => {
      await topic.publish(stream.take(3_000));
      const projection = await startTestProjection({
        brokers: topic.brokers,
        databaseUrl: server.url,
        topic: topic.topic,
        env: {
          STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '100',
          STOCKD_PROJECTOR_RETRY_INITIAL_MS: '50',
          STOCKD_PROJECTOR_RETRY_MAX_MS: '1000',
        },
      });
      const inserted = () =>
        metricValue(projection.metrics, 'stockd_projection_events_total', { result: 'inserted' });
      try {
        await waitFor(async () => (await inserted()) >= 500, {
          timeoutMs: 60_000,
          intervalMs: 20,
          what: 'the first 500 events projected',
        });
        // Events keep arriving while the server is down for a second and a half.
        let restarted = false;
        const publishing = (async () => {
          while (!restarted) {
            await topic.publish(stream.take(100));
            await sleep(50);
          }
          await topic.publish(stream.take(500));
        })();
        await server.restart(1_500);
        restarted = true;
        await publishing;
        await topic.waitUntilCaughtUp(projection.groupId);
        expect(
          await metricValue(projection.metrics, 'stockd_projection_retries_total'),
        ).toBeGreaterThan(0);
      } finally {
        await projection.stop();
      }

      const events = stream.events;
      const projected = new pg.Pool({ connectionString: server.url, max: 2 });
      const reference = await reportingDatabase();
      try {
        const { rows } = await projected.query(
          'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids FROM stockd.events',
        );
        expect(rows[0]).toEqual({ n: events.length, distinct_ids: events.length });
        // The same events applied without any outage, in one go per partition.
        await applyEvents(reference.pool, events, () => 1_000);
        expect(await projectedContents(projected)).toEqual(await projectedContents(reference.pool));
      } finally {
        await projected.end();
        await reference.close();
      }
    });
  },
);
