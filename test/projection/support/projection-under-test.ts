import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { type Projection, runProjector } from '../../../src/compose/projection.ts';
import { loadConfig } from '../../../src/config/config.ts';

export const quietLogger = pino({ level: process.env.STOCKD_TEST_LOG_LEVEL ?? 'silent' });

/** The projection as `stockd project` runs it, on a test's own topic, group and database. */
export async function startTestProjection(settings: {
  brokers: readonly string[];
  databaseUrl: string;
  topic: string;
  groupId?: string;
  /** More configuration, e.g. `STOCKD_PROJECTOR_BATCH_EVENTS_MAX`. */
  env?: Record<string, string>;
  /** The clock periods end on (a manual clock's), and how often the closer looks at it. */
  nowMs?: () => number;
  snapshotCheckIntervalMs?: number;
}): Promise<Projection & { groupId: string }> {
  const config = loadConfig({
    KAFKA_BROKERS: settings.brokers.join(','),
    DATABASE_URL: settings.databaseUrl,
    STOCKD_LOG_LEVEL: 'silent',
    // A short session: a test's consumer that did not leave is forgotten soon.
    STOCKD_PROJECTOR_SESSION_TIMEOUT_MS: '10000',
    ...settings.env,
  });
  const groupId = settings.groupId ?? `stockd-projection-it-${randomUUID()}`;
  const projection = await runProjector(config, quietLogger, {
    groupId,
    topic: settings.topic,
    metrics: new Registry(),
    ...(settings.nowMs !== undefined && { nowMs: settings.nowMs }),
    ...(settings.snapshotCheckIntervalMs !== undefined && {
      snapshotCheckIntervalMs: settings.snapshotCheckIntervalMs,
    }),
  });
  return Object.assign(projection, { groupId });
}

/** A metric's value by labels, read from the registry's text (as Prometheus would scrape it). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, unknown> }[];
  return values
    .filter((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value))
    .reduce((sum, v) => sum + v.value, 0);
}
