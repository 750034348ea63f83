// The command topic end to end on a real broker: valid commands (JSON and MessagePack) get
// exactly one result each, malformed ones land in the DLQ with their reason, offsets are
// committed, levels are what the commands say.
import { pack } from 'msgpackr';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/compose/component.ts';
import { startKafkaComponents } from '../../src/compose/kafka-components.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { deadLetterHeaders } from '../../src/ingress/kafka/dead-letter.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  deleteTopics,
  headerText,
  keyedProducer,
  quietLogger,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

const items = ['SKU-A', 'SKU-B', 'SKU-C'];
const key = (sku: string) => itemKeyOf(sku, 'WH-1');

// The same contract whether the consumer runs on its own thread (the default) or the main one.
describe.each(['own', 'main'] as const)('command topic, consumer on the %s thread', (thread) => {
  const dir = tempDir('kafka-ingress');
  const brokers = testBrokers();
  const unique = uniqueKafkaConfig(brokers, `ingress-${thread}`);
  const config = { ...unique, commandConsumer: { ...unique.commandConsumer, thread } };
  const client = testClient(brokers);
  const metrics = new Registry();
  let engine: Engine;
  let components: readonly Component[] = [];

  beforeAll(async () => {
    engine = await startEngine(
      engineOptions({ dataDir: dir.path, workerCount: 1, partitionCount: 4 }),
    );
    const kafka = startKafkaComponents({ engine, kafka: config, logger: quietLogger(), metrics });
    await kafka.running;
    components = kafka.components;
  });

  afterAll(async () => {
    for (const component of [...components].reverse()) await component.stop();
    await engine?.close();
    await deleteTopics(brokers, config);
    dir.remove();
  });

  it('answers every valid commandId once, dead-letters every malformed message', async () => {
    const valid: { key: string; value: Buffer | string; commandId: string }[] = [];
    const expectedTotal = new Map<string, number>();
    // Per item: receipts in both encodings, one adjustment, reserves; then one reserve too many.
    items.forEach((sku, i) => {
      for (let n = 0; n < 20; n++) {
        const commandId = `rcv-${sku}-${n}`;
        const command = {
          type: 'ReceiveStock',
          commandId,
          sku,
          warehouseId: 'WH-1',
          quantity: 10 + i,
        };
        valid.push({
          key: key(sku),
          commandId,
          value: n % 2 === 0 ? JSON.stringify(command) : pack(command),
        });
      }
      valid.push({
        key: key(sku),
        commandId: `adj-${sku}`,
        value: pack({
          type: 'AdjustStock',
          commandId: `adj-${sku}`,
          sku,
          warehouseId: 'WH-1',
          delta: -5,
          reason: 'count',
        }),
      });
      expectedTotal.set(sku, 20 * (10 + i) - 5);
      for (let n = 0; n < 5; n++) {
        const commandId = `rsv-${sku}-${n}`;
        valid.push({
          key: key(sku),
          commandId,
          value: JSON.stringify({
            type: 'Reserve',
            commandId,
            sku,
            warehouseId: 'WH-1',
            idempotencyKey: `order-${sku}-${n}`,
            quantity: 3,
            ttlSeconds: 600,
          }),
        });
      }
    });
    valid.push({
      key: key('SKU-A'),
      commandId: 'too-much',
      value: JSON.stringify({
        type: 'Reserve',
        commandId: 'too-much',
        sku: 'SKU-A',
        warehouseId: 'WH-1',
        idempotencyKey: 'big',
        quantity: 1_000_000,
        ttlSeconds: 60,
      }),
    });
    const malformed: { key: string; value: Buffer | string | null; reason: string }[] = [
      { key: 'bad-1', value: '{"type": "ReceiveStock", ', reason: 'undecodable' },
      { key: 'bad-2', value: Buffer.from([0xc1, 0x00, 0x01]), reason: 'undecodable' },
      {
        key: 'bad-3',
        value: JSON.stringify({ type: 'ReceiveStock', sku: 'S', warehouseId: 'W', quantity: 1 }),
        reason: 'no_command_id',
      },
      {
        key: 'bad-4',
        value: pack({
          type: 'ReceiveStock',
          commandId: 'bad-4',
          sku: 'S',
          warehouseId: 'W',
          quantity: -1,
        }),
        reason: 'invalid',
      },
      {
        key: 'bad-5',
        value: JSON.stringify({ type: 'Expire', commandId: 'bad-5', reservationId: 'rsv-0-1' }),
        reason: 'invalid',
      },
      { key: 'bad-6', value: null, reason: 'empty' },
      { key: 'bad-7', value: pack({ commandId: 'x'.repeat(70_000) }), reason: 'too_large' },
    ];

    const results = await readTopic(client, config.topics.results);
    const deadLetters = await readTopic(client, config.topics.deadLetters);
    const producer = keyedProducer(client);
    await producer.connect();
    try {
      // Per key in order (receipts before reserves); malformed messages have keys of their own.
      const byKey = new Map<string, { key: string; value: Buffer | string | null }[]>();
      for (const message of [...valid, ...malformed]) {
        byKey.set(message.key, [...(byKey.get(message.key) ?? []), message]);
      }
      await producer.send({
        topic: config.topics.commands,
        messages: [...byKey.values()].flat().map(({ key, value }) => ({ key, value })),
      });
      await results.until((r) => r.length >= valid.length, 60_000, 'results');
      await deadLetters.until((r) => r.length >= malformed.length, 60_000, 'dead letters');

      const answers = results.received.map(({ message }) => ({
        key: message.key!.toString(),
        contentType: headerText(message, 'content-type'),
        result: decodeValue(message.value!) as CommandResult,
      }));
      expect(answers.map((a) => a.result.commandId).sort()).toEqual(
        valid.map((v) => v.commandId).sort(),
      );
      for (const { key, result, contentType } of answers) {
        expect(key).toBe(result.commandId);
        const sent = valid.find((v) => v.commandId === result.commandId)!;
        expect(contentType).toBe(
          typeof sent.value === 'string' ? 'application/json' : 'application/msgpack',
        );
        if (result.commandId === 'too-much') {
          expect(result).toMatchObject({
            ok: false,
            code: 'INSUFFICIENT_STOCK',
            retriable: true,
            type: 'Reserve',
          });
        } else {
          expect(result, result.commandId).toMatchObject({ ok: true, applied: true });
        }
      }
      const reserve = answers.find((a) => a.result.commandId === 'rsv-SKU-B-0')!.result;
      expect(reserve).toMatchObject({ reservation: { status: 'HELD', quantity: 3, sku: 'SKU-B' } });

      const dead = deadLetters.received.map(({ message }) => message);
      expect(dead.map((m) => m.key!.toString()).sort()).toEqual(malformed.map((m) => m.key).sort());
      for (const message of dead) {
        const original = malformed.find((m) => m.key === message.key!.toString())!;
        expect(headerText(message, deadLetterHeaders.reason), original.key).toBe(original.reason);
        expect(headerText(message, deadLetterHeaders.detail)).toBeTruthy();
        expect(headerText(message, deadLetterHeaders.sourceTopic)).toBe(config.topics.commands);
        expect(headerText(message, deadLetterHeaders.sourceOffset)).toMatch(/^\d+$/);
        const originalBytes = original.value === null ? null : Buffer.from(original.value);
        expect(message.value === null ? null : Buffer.from(message.value)).toEqual(
          originalBytes?.length === 0 ? null : originalBytes,
        );
      }
      expect(
        headerText(dead.find((m) => m.key!.toString() === 'bad-4')!, deadLetterHeaders.commandId),
      ).toBe('bad-4');

      for (const [i, sku] of items.entries()) {
        const level = await engine.submit({ type: 'GetItem', sku, warehouseId: 'WH-1' });
        expect(level, sku).toMatchObject({
          ok: true,
          item: {
            totalQty: expectedTotal.get(sku),
            reservedQty: 15,
            availableQty: expectedTotal.get(sku)! - 15,
          },
        });
        expect(i).toBeGreaterThanOrEqual(0);
      }

      // Offsets are committed up to the end of every partition.
      const admin = client.admin();
      await admin.connect();
      try {
        const high = await admin.fetchTopicOffsets(config.topics.commands);
        let behind: unknown[] = [];
        await waitFor(
          async () => {
            const [committed] = await admin.fetchOffsets({
              groupId: config.consumerGroup,
              topics: [config.topics.commands],
            });
            behind = high.filter(
              ({ partition, high }) =>
                committed!.partitions.find((p) => p.partition === partition)?.offset !== high,
            );
            return behind.length === 0;
          },
          {
            timeoutMs: 30_000,
            intervalMs: 200,
            what: () => `offsets to be committed: ${JSON.stringify(behind)} behind`,
          },
        );
      } finally {
        await admin.disconnect();
      }

      const text = await metrics.metrics();
      expect(text).toContain(`stockd_kafka_commands_total{outcome="applied"} ${valid.length - 1}`);
      expect(text).toContain('stockd_kafka_commands_total{outcome="rejected"} 1');
      expect(text).toContain(
        `stockd_kafka_commands_total{outcome="dead_letter"} ${malformed.length}`,
      );
      expect(text).toContain('stockd_kafka_dead_letters_total{reason="undecodable"} 2');
      expect(text).toMatch(/stockd_kafka_consumer_lag_messages\{partition="\d+"\} 0/);
    } finally {
      await producer.disconnect();
      await results.stop();
      await deadLetters.stop();
    }
  });

  it('answers a redelivered command as a duplicate, without a second effect', async () => {
    const results = await readTopic(client, config.topics.results);
    const producer = keyedProducer(client);
    await producer.connect();
    try {
      const command = {
        type: 'ReceiveStock',
        commandId: 'rcv-SKU-C-0',
        sku: 'SKU-C',
        warehouseId: 'WH-1',
        quantity: 12,
      };
      await producer.send({
        topic: config.topics.commands,
        messages: [{ key: key('SKU-C'), value: JSON.stringify(command) }],
      });
      await results.until(
        (r) => r.filter(({ message }) => message.key!.toString() === 'rcv-SKU-C-0').length >= 2,
        60_000,
        'the duplicate result',
      );
      const last = results.received
        .filter(({ message }) => message.key!.toString() === 'rcv-SKU-C-0')
        .at(-1)!;
      expect(decodeValue(last.message.value!)).toMatchObject({
        ok: true,
        applied: false,
        duplicate: true,
      });
      const level = await engine.submit({ type: 'GetItem', sku: 'SKU-C', warehouseId: 'WH-1' });
      expect(level).toMatchObject({ ok: true, item: { totalQty: 20 * 12 - 5 } });
    } finally {
      await producer.disconnect();
      await results.stop();
    }
  });

  it('refuses a commandId reused for another command, without an effect', async () => {
    const results = await readTopic(client, config.topics.results);
    const producer = keyedProducer(client);
    await producer.connect();
    try {
      // rcv-SKU-C-2 received 12 units; the same id now asks for 13.
      const command = {
        type: 'ReceiveStock',
        commandId: 'rcv-SKU-C-2',
        sku: 'SKU-C',
        warehouseId: 'WH-1',
        quantity: 13,
      };
      await producer.send({
        topic: config.topics.commands,
        messages: [{ key: key('SKU-C'), value: JSON.stringify(command) }],
      });
      await results.until(
        (r) => r.filter(({ message }) => message.key!.toString() === 'rcv-SKU-C-2').length >= 2,
        60_000,
        'the refusal',
      );
      const last = results.received
        .filter(({ message }) => message.key!.toString() === 'rcv-SKU-C-2')
        .at(-1)!;
      expect(decodeValue(last.message.value!)).toMatchObject({
        commandId: 'rcv-SKU-C-2',
        ok: false,
        code: 'COMMAND_ID_REUSED',
        retriable: false,
        message: expect.stringMatching(
          /checked per partition, against its newest STOCKD_RECENT_COMMANDS_MAX\): its first command caused event \d+ of partition \d+$/,
        ),
      });
      const level = await engine.submit({ type: 'GetItem', sku: 'SKU-C', warehouseId: 'WH-1' });
      expect(level).toMatchObject({ ok: true, item: { totalQty: 20 * 12 - 5 } });
    } finally {
      await producer.disconnect();
      await results.stop();
    }
  });
});
