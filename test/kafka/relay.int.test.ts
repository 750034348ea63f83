// The outbox relay on a real broker: every logged event reaches the events topic in its own
// partition, in log order, as the wire format; the published position is stored, so a new
// relay resumes where the previous one stopped — no gap, and any duplicate has the same eventId.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { readPublishedSeq } from '../../src/checkpoint/published-position.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { createKafkaClient } from '../../src/kafka/kafka-client.ts';
import { ensureTopics, topicSpecs } from '../../src/kafka/topics.ts';
import {
  decodeWireEvent,
  wireEventSchemaVersion,
  wireKeyOfEntry,
} from '../../src/kafka/wire-event.ts';
import { logFrontier } from '../../src/replication/log-frontier.ts';
import { startRelay } from '../../src/replication/relay.ts';
import { createRelayMetrics } from '../../src/replication/relay-metrics.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { expectCompleteEventStream } from './event-stream.ts';
import {
  deleteTopics,
  headerText,
  quietLogger,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

const partitionCount = 4;

function receipts(from: number, count: number): EngineRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'ReceiveStock' as const,
    sku: `SKU-${(from + i) % 50}`,
    warehouseId: 'WH-1',
    quantity: 1 + ((from + i) % 7),
  }));
}

describe('outbox relay', () => {
  const dir = tempDir('kafka-relay');
  const brokers = testBrokers();
  const config = uniqueKafkaConfig(brokers, 'relay');
  const logger = quietLogger();
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine(
      engineOptions({
        dataDir: dir.path,
        workerCount: 1,
        partitionCount,
        housekeeping: { replicationEnabled: true },
      }),
    );
    const admin = testClient(brokers).admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config.topics, partitionCount), logger);
    await admin.disconnect();
  });

  afterAll(async () => {
    await engine?.close();
    await deleteTopics(brokers, config);
    dir.remove();
  });

  const relayOn = (registry?: Registry) =>
    startRelay({
      client: createKafkaClient(config, logger),
      store: engine.store,
      storeId: engine.identity.storeId,
      partitionCount,
      topic: config.topics.events,
      logger,
      // Small rounds, so that a run has many of them.
      settings: { ...config.relay, roundEventsMax: 64 },
      retry: config.client.retry,
      ...(registry && { metrics: (lag) => createRelayMetrics(registry, lag) }),
    });

  const newestSeqs = () =>
    Array.from({ length: partitionCount }, (_, p) => newestLoggedSeq(engine.store, p));

  it('publishes every event in log order, and a new relay resumes where the last stopped', async () => {
    const registry = new Registry();
    let relay = relayOn(registry);
    const events = await readTopic(testClient(brokers), config.topics.events);
    try {
      const first = await engine.submitMany(receipts(0, 1_500), { whenFull: 'wait' });
      expect(first.every((r) => r.ok)).toBe(true);
      await waitFor(() => relay.lag().totalEvents === 0, {
        timeoutMs: 60_000,
        what: 'the relay to catch up',
      });
      await relay.stop();
      expect(await registry.getSingleMetricAsString('stockd_events_published_total')).toContain(
        'stockd_events_published_total 1500',
      );
      expect(newestSeqs().map((_, p) => readPublishedSeq(engine.store, p))).toEqual(newestSeqs());

      // Written while no relay runs: published by the next one, after the stored position.
      await engine.submitMany(receipts(1_500, 700), { whenFull: 'wait' });
      relay = relayOn();
      expect(relay.lag().totalEvents).toBe(700);
      await waitFor(() => relay.lag().totalEvents === 0, {
        timeoutMs: 60_000,
        what: 'the second relay to catch up',
      });
      const total = newestSeqs().reduce((sum, seq) => sum + seq, 0);
      await events.until((r) => r.length >= total, 60_000, 'every event');

      expect(logFrontier(engine.store, partitionCount).newestSeqs()).toEqual(newestSeqs());
      const wire = expectCompleteEventStream(
        events.received,
        newestSeqs(),
        engine.identity.storeId,
      );
      for (const { partition, message } of events.received) {
        const event = decodeWireEvent(message.value!);
        expect(message.key!.toString()).toBe(wireKeyOfEntry(event));
        expect(partition).toBe(event.partition);
        expect(message.timestamp).toBe(`${event.timestampMs}`);
        expect(headerText(message, 'content-type')).toBe('application/msgpack');
        expect(headerText(message, 'stockd-schema-version')).toBe(`${wireEventSchemaVersion}`);
      }
      expect(wire.duplicates).toBe(0);
      expect(wire.events[0]).toMatchObject({
        type: 'StockReceived',
        warehouseId: 'WH-1',
        schemaVersion: wireEventSchemaVersion,
      });
    } finally {
      await relay.stop();
      await events.stop();
    }
  });
});
