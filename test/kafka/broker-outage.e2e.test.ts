// The broker goes away while HTTP reserves continue: stockd keeps answering them, the relay
// retries with backoff, and once the broker is back the events topic ends up with every event,
// in per-partition order, none missing. Runs its OWN broker (not the shared one) to stop it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { type Server, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { tempDir } from '../support/temp-dir.ts';
import { expectCompleteEventStream } from './event-stream.ts';
import { quietLogger, readTopic, testClient, uniqueKafkaConfig } from './kafka-test-kit.ts';

const script = fileURLToPath(new URL('../../scripts/kafka/local-kafka.sh', import.meta.url));
// Ports of this test's own broker, away from the shared one (9092/9093).
const brokerPort = Number(process.env.STOCKD_TEST_OUTAGE_KAFKA_PORT ?? 19092);
const brokers = [`127.0.0.1:${brokerPort}`];
const partitionCount = 4;
const itemCount = 20;

function broker(command: 'start' | 'stop', stateDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, command], {
      env: {
        ...process.env,
        KAFKA_PORT: `${brokerPort}`,
        KAFKA_CONTROLLER_PORT: `${brokerPort + 1}`,
        KAFKA_STATE_DIR: stateDir,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`local-kafka.sh ${command} exited ${code}`)),
    );
  });
}

async function metricValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, { value }) => sum + value, 0) ?? Number.NaN;
}

async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('broker outage under HTTP reserves', () => {
  const kafkaState = tempDir('kafka-outage-broker');
  const dataDir = tempDir('kafka-outage-data');
  const kafka = uniqueKafkaConfig(brokers, 'outage');
  let server: Server | undefined;

  beforeAll(async () => {
    await broker('start', kafkaState.path);
  });

  afterAll(async () => {
    await server?.stop();
    await broker('stop', kafkaState.path);
    kafkaState.remove();
    // local-kafka.sh keeps its lock file next to the state directory.
    rmSync(`${kafkaState.path}.lock`, { force: true });
    dataDir.remove();
  });

  it('keeps taking reserves and publishes every event once the broker is back', {
    timeout: 600_000,
  }, async () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      STOCKD_DATA_DIR: dataDir.path,
      STOCKD_PARTITIONS: `${partitionCount}`,
      STOCKD_WORKERS: '1',
      KAFKA_BROKERS: brokers.join(','),
      STOCKD_KAFKA_GROUP: kafka.consumerGroup,
      STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
      STOCKD_TOPIC_RESULTS: kafka.topics.results,
      STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: kafka.topics.events,
    });
    server = await startServer(config, quietLogger());
    const { url, metrics, engine } = server;
    const post = (path: string, body: object) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (let item = 0; item < itemCount; item++) {
      const response = await post('/inventory/receipts', {
        sku: `SKU-${item}`,
        warehouseId: 'WH-1',
        quantity: 1_000_000,
      });
      expect(response.status, await response.text()).toBe(200);
    }

    // Closed-loop reserves over HTTP until told to stop; every one must be answered 201.
    let reserving = true;
    let reserved = 0;
    const refusals: string[] = [];
    let n = 0;
    const client = async () => {
      while (reserving) {
        const k = n++;
        const response = await post('/inventory/reserve', {
          idempotencyKey: `order-${k}`,
          sku: `SKU-${k % itemCount}`,
          warehouseId: 'WH-1',
          quantity: 1,
          ttlSeconds: 3_600,
        });
        if (response.status === 201) reserved++;
        else refusals.push(`${response.status} ${await response.text()}`);
      }
    };
    const clients = Array.from({ length: 8 }, client);

    try {
      await until(
        async () => (await metricValue(metrics, 'stockd_events_published_total')) > 100,
        'first events published',
      );
      await broker('stop', kafkaState.path);
      const reservedWhenStopped = reserved;
      // While the broker is down: reserves go on, the log is kept, the lag grows.
      await until(() => reserved >= reservedWhenStopped + 2_000, 'reserves during the outage');
      await until(
        async () => (await metricValue(metrics, 'stockd_replication_lag_events')) >= 2_000,
        'lag during the outage',
      );
      // kafkajs retries a send for ~10 s before the relay counts a failed round and backs off.
      await until(
        async () => (await metricValue(metrics, 'stockd_replication_failures_total')) > 0,
        'a failed relay round',
      );

      await broker('start', kafkaState.path);
      const reservedWhenBack = reserved;
      await until(() => reserved >= reservedWhenBack + 1_000, 'reserves after the outage');
    } finally {
      reserving = false;
      await Promise.all(clients);
    }
    expect(refusals).toEqual([]);

    await until(
      async () => (await metricValue(metrics, 'stockd_replication_lag_events')) === 0,
      'the relay to catch up',
      240_000,
    );
    const newestSeqs = Array.from({ length: partitionCount }, (_, p) =>
      newestLoggedSeq(engine.store, p),
    );
    // Receipts plus one StockReserved per reserve.
    expect(newestSeqs.reduce((sum, seq) => sum + seq, 0)).toBe(itemCount + reserved);

    const events = await readTopic(testClient(brokers), kafka.topics.events);
    try {
      const total = newestSeqs.reduce((sum, seq) => sum + seq, 0);
      await events.until((r) => r.length >= total, 120_000, 'every event on the topic');
      expectCompleteEventStream(events.received, newestSeqs, engine.identity.storeId);
    } finally {
      await events.stop();
    }
  });
});
