// Kafka must not hold HTTP hostage, and /readyz must tell the truth. stockd starts while its
// broker (this test's own, not the shared one) is down: HTTP serves at once, reads and writes
// work, /readyz says degraded and names the relay and the command consumer. The broker comes up:
// both run, commands from the topic are answered. It goes away again under HTTP writes: both
// are degraded, writes go on; it comes back: both run again, and the events topic holds every
// event, in per-partition order.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { type Server as Stockd, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { throwawayBroker } from '../support/kafka-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { expectCompleteEventStream } from './event-stream.ts';
import {
  keyedProducer,
  quietLogger,
  readTopic,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

// Ports of this test's own broker, away from the shared one (9092) and broker-outage's (19092).
const brokerPort = Number(process.env.STOCKD_TEST_BROKER_AWAY_KAFKA_PORT ?? 19392);
const partitionCount = 4;
const itemCount = 8;

interface Readiness {
  status: string;
  components: Record<string, { state: string; reason?: string; lagEvents?: number }>;
}

describe('a broker that is away', () => {
  const broker = throwawayBroker(brokerPort, tempDir('broker-away-kafka').path);
  const dataDir = tempDir('broker-away-data');
  const kafka = uniqueKafkaConfig(broker.brokers, 'away');
  let server: Stockd | undefined;

  beforeAll(async () => {
    await broker.stop(); // left over from an interrupted run, if any
  });

  afterAll(async () => {
    await server?.stop();
    await broker.remove();
    dataDir.remove();
  });

  it('keeps HTTP serving, shows who is degraded, and publishes every event once back', {
    timeout: 600_000,
  }, async () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      STOCKD_DATA_DIR: dataDir.path,
      STOCKD_PARTITIONS: `${partitionCount}`,
      STOCKD_WORKERS: '1',
      KAFKA_BROKERS: broker.brokers.join(','),
      STOCKD_KAFKA_CLIENT_ID: kafka.clientId,
      STOCKD_KAFKA_GROUP: kafka.consumerGroup,
      STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
      STOCKD_TOPIC_RESULTS: kafka.topics.results,
      STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: kafka.topics.events,
      // A member lost in the outage is dropped soon, so the group rejoins soon after.
      STOCKD_CONSUMER_SESSION_TIMEOUT_MS: '10000',
    });
    // No broker at all: the server starts and listens all the same.
    server = await startServer(config, quietLogger());
    const { url } = server;
    const readiness = async (): Promise<Readiness & { code: number }> => {
      const response = await fetch(`${url}/readyz`);
      return { code: response.status, ...((await response.json()) as Readiness) };
    };
    const states = async () => {
      const { components } = await readiness();
      return [components.relay?.state, components.commandConsumer?.state];
    };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    let reserved = 0;
    const reserve = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = reserved++;
        const response = await post('/inventory/reserve', {
          idempotencyKey: `order-${n}`,
          sku: `SKU-${n % itemCount}`,
          warehouseId: 'WH-1',
          quantity: 1,
          ttlSeconds: 3_600,
        });
        expect(response.status, response.text).toBe(201);
      }
    };

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const first = await readiness();
    expect(first.code).toBe(200);
    expect(first.status).toBe('degraded');
    expect(first.components.engine).toEqual({ state: 'running' });
    for (const name of ['relay', 'commandConsumer']) {
      expect(['starting', 'degraded'], name).toContain(first.components[name]?.state);
    }
    const receipts = await post('/inventory/receipts', {
      items: Array.from({ length: itemCount }, (_, i) => ({
        sku: `SKU-${i}`,
        warehouseId: 'WH-1',
        quantity: 1_000_000,
      })),
    });
    expect(receipts.status, receipts.text).toBe(200);
    await reserve(50);
    await waitFor(async () => (await states()).every((state) => state === 'degraded'), {
      timeoutMs: 120_000,
      what: 'the relay and the consumer to report the broker away',
    });
    const away = await readiness();
    expect(away.components.relay).toMatchObject({ reason: expect.stringMatching(/KafkaJS/) });
    expect(away.components.relay?.lagEvents).toBe(itemCount + 50);

    // The broker comes up for the first time: topics are created, both start running.
    await broker.start();
    await waitFor(async () => (await readiness()).status === 'ready', {
      timeoutMs: 180_000,
      what: 'the relay and the consumer to run',
    });
    const client = testClient(broker.brokers);
    const results = await readTopic(client, kafka.topics.results);
    const producer = keyedProducer(client);
    await producer.connect();
    try {
      await producer.send({
        topic: kafka.topics.commands,
        messages: [
          {
            key: 'SKU-0|WH-1',
            value: JSON.stringify({
              type: 'ReceiveStock',
              commandId: 'cmd-1',
              sku: 'SKU-0',
              warehouseId: 'WH-1',
              quantity: 1,
            }),
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    await results.until((received) => received.length >= 1, 60_000, 'the command result');
    await results.stop();

    // Away again while writes continue.
    await reserve(20);
    await broker.stop();
    // The relay finds the broker away on its next round: there must be events to publish.
    const writing = (async () => {
      while ((await states()).some((state) => state !== 'degraded')) {
        await reserve(5);
        await sleep(200);
      }
    })();
    await waitFor(async () => (await states()).every((state) => state === 'degraded'), {
      timeoutMs: 180_000,
      what: 'the relay and the consumer to report the outage',
    });
    await writing;
    const during = await readiness();
    expect(during.code).toBe(200);
    expect(during.status).toBe('degraded');
    await reserve(20);

    await broker.start();
    await waitFor(async () => (await readiness()).status === 'ready', {
      timeoutMs: 180_000,
      what: 'the relay and the consumer to run again',
    });
    await waitFor(async () => (await readiness()).components.relay?.lagEvents === 0, {
      timeoutMs: 120_000,
      what: 'the relay to catch up',
    });

    const { engine } = server;
    const newestSeqs = Array.from({ length: partitionCount }, (_, p) =>
      newestLoggedSeq(engine.store, p),
    );
    const total = newestSeqs.reduce((sum, seq) => sum + seq, 0);
    // A receipt per item, one event per reserve, one receipt from the command topic.
    expect(total).toBe(itemCount + reserved + 1);
    const events = await readTopic(testClient(broker.brokers), kafka.topics.events);
    try {
      await events.until((received) => received.length >= total, 120_000, 'every event');
      expectCompleteEventStream(events.received, newestSeqs, engine.identity.storeId);
    } finally {
      await events.stop();
    }
  });
});
