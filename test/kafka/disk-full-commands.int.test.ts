// The command topic while the data volume is full (a real tmpfs under the free-space floor):
// commands refused STORAGE_FULL get no result, no dead letter and no committed offset; once space
// is back each of them is decided and answered exactly once, in order.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/compose/component.ts';
import { startKafkaComponents } from '../../src/compose/kafka-components.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  deleteTopics,
  keyedProducer,
  quietLogger,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

const floorBytes = 2 * 1_048_576;
const mounted = mountTmpfs('kafka-disk-full', 8 * 1_048_576);
const skipReason = typeof mounted === 'string' ? mounted : undefined;
if (skipReason !== undefined) console.warn(`skipped: ${skipReason}`);
const disk = mounted as Tmpfs;

describe.skipIf(skipReason !== undefined)('command topic on a full data volume', () => {
  const brokers = testBrokers();
  const unique = uniqueKafkaConfig(brokers, 'disk-full');
  // Short waits between attempts, so that the test sees the retry soon after space is back.
  const config = {
    ...unique,
    client: { ...unique.client, retry: { initialMs: 100, maxMs: 500, retriesMax: 5 } },
  };
  const client = testClient(brokers);
  let engine: Engine;
  let components: readonly Component[] = [];

  beforeAll(async () => {
    engine = await startEngine(
      engineOptions({
        dataDir: join(disk.path, 'data'),
        workerCount: 1,
        partitionCount: 4,
        diskFreeFloorBytes: floorBytes,
        diskCheckIntervalMs: 100,
      }),
    );
    const kafka = startKafkaComponents({
      engine,
      kafka: config,
      logger: quietLogger(),
      metrics: new Registry(),
    });
    await kafka.running;
    components = kafka.components;
  });

  afterAll(async () => {
    for (const component of [...components].reverse()) await component.stop();
    rmSync(join(disk.path, 'filler'), { force: true });
    await engine?.close();
    await deleteTopics(brokers, config);
    disk.unmount();
  });

  it('waits for space, then answers every command once', async () => {
    const results = await readTopic(client, config.topics.results);
    const deadLetters = await readTopic(client, config.topics.deadLetters);
    const producer = keyedProducer(client);
    await producer.connect();
    const command = (commandId: string, body: Record<string, unknown>) => ({
      key: itemKeyOf('SKU-1', 'WH-1'),
      value: JSON.stringify({ commandId, sku: 'SKU-1', warehouseId: 'WH-1', ...body }),
    });
    try {
      await producer.send({
        topic: config.topics.commands,
        messages: [command('receipt', { type: 'ReceiveStock', quantity: 100 })],
      });
      await results.until((r) => r.length === 1, 30_000, 'the receipt answered');

      disk.fill('filler', floorBytes / 2);
      await waitFor(() => engine.storage.refusing, { timeoutMs: 10_000, what: 'writes refused' });
      const reserves = Array.from({ length: 5 }, (_, n) =>
        command(`reserve-${n}`, {
          type: 'Reserve',
          idempotencyKey: `order-${n}`,
          quantity: 1,
          ttlSeconds: 600,
        }),
      );
      await producer.send({ topic: config.topics.commands, messages: reserves });
      // Refused, retried, refused again: nothing is answered or dead-lettered meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(results.received).toHaveLength(1);
      expect(deadLetters.received).toHaveLength(0);

      rmSync(join(disk.path, 'filler'));
      await results.until((r) => r.length >= 6, 30_000, 'the reserves answered');
      // A moment more: a second result of any of them would show here.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const answered = results.received.map(
        ({ message }) => decodeValue(message.value!) as CommandResult,
      );
      expect(answered.map((result) => result.commandId)).toEqual([
        'receipt',
        ...reserves.map((_, n) => `reserve-${n}`),
      ]);
      for (const result of answered) expect(result).toMatchObject({ ok: true, applied: true });
      expect(deadLetters.received).toHaveLength(0);
      const levels = await engine.submit({ type: 'GetItem', sku: 'SKU-1', warehouseId: 'WH-1' });
      expect(levels).toMatchObject({ ok: true, item: { totalQty: 100, reservedQty: 5 } });
    } finally {
      await producer.disconnect();
      await results.stop();
      await deadLetters.stop();
    }
  });
});
