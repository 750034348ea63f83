// Producers that are not kafkajs or Java: the real service (node src/main.ts serve) consumes
// commands from a producer partitioning like librdkafka's default (`consistent_random`: CRC-32
// of the key, so kcat and confluent-kafka-* clients), from one spreading commands round-robin
// (a keyless or `random` producer), and JSON led by whitespace (a line of a file, as kcat sends
// it). Every command is answered on the results partition of the partition it was sent to, the
// results of one key come in the order sent, and the stock ends exact.
import { crc32 } from 'node:zlib';
import type { ICustomPartitioner } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { createTopics } from '../support/kafka-broker.ts';
import { readAllPartitions } from '../support/read-partitions.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  deleteTopics,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';
import { type ServiceProcess, startService } from './service-process.ts';

const partitionCount = 8;
const itemCount = 24;
const receiptsPerItem = 10;
const reservesPerItem = 5;

/** Where each command was sent, by commandId: the partitioners below record their choice. */
const sentTo = new Map<string, number>();

function commandIdOf(value: Buffer | string | null): string {
  return (decodeValue(Buffer.from(value ?? '')) as { commandId: string }).commandId;
}

/** librdkafka's default for keyed messages: CRC-32 of the key, modulo the partition count. */
const crc32Partitioner: ICustomPartitioner =
  () =>
  ({ partitionMetadata, message }) => {
    const partition = crc32(Buffer.from(message.key!)) % partitionMetadata.length;
    sentTo.set(commandIdOf(message.value), partition);
    return partition;
  };

/** A producer that ignores keys: each message on the next partition. */
const roundRobinPartitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }) => {
    const partition = next++ % partitionMetadata.length;
    sentTo.set(commandIdOf(message.value), partition);
    return partition;
  };
};

/** JSON the way a file's lines or a hand-written message may carry it. */
const leads = ['', ' ', '\n', '\r\n', '\t  ', ' \n\t'];

describe('producers with other partitioners, and JSON led by whitespace', () => {
  const dir = tempDir('kafka-foreign');
  const brokers = testBrokers();
  const config = uniqueKafkaConfig(brokers, 'foreign');
  const client = testClient(brokers);
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await deleteTopics(brokers, config);
    dir.remove();
  });

  it('answers each command on its own partition, in order per key, stock exact', {
    timeout: 300_000,
  }, async () => {
    await createTopics(brokers, [
      { topic: config.topics.commands, numPartitions: partitionCount },
      { topic: config.topics.results, numPartitions: partitionCount },
    ]);
    const results = await readTopic(client, config.topics.results);
    const expected = new Map<string, { totalQty: number; reservedQty: number }>();
    /** Per item key, the commandIds of the CRC-32 producer in the order sent. */
    const orderSent = new Map<string, string[]>();

    // CRC-32: per item, receipts then reserves that need them — in order only if the partition
    // of a key is one and the same for all its commands. Whitespace-led JSON throughout.
    const keyed: { key: string; value: string }[] = [];
    for (let i = 0; i < itemCount; i++) {
      const sku = `FOREIGN-${i}`;
      const key = itemKeyOf(sku, 'WH-1');
      const ids: string[] = [];
      for (let k = 0; k < receiptsPerItem + reservesPerItem; k++) {
        const commandId = `crc-${sku}-${k}`;
        const command =
          k < receiptsPerItem
            ? { type: 'ReceiveStock', commandId, sku, warehouseId: 'WH-1', quantity: 1 }
            : // Exactly the stock received: one reserve out of order would be refused.
              {
                type: 'Reserve',
                commandId,
                sku,
                warehouseId: 'WH-1',
                orderId: commandId,
                quantity: 2,
              };
        const lead = leads[(i + k) % leads.length]!;
        keyed.push({ key, value: `${lead}${JSON.stringify(command)}${lead}` });
        ids.push(commandId);
      }
      orderSent.set(key, ids);
      expected.set(key, { totalQty: receiptsPerItem, reservedQty: 2 * reservesPerItem });
    }
    // Round-robin: receipts only (they commute), 3 units more per item.
    const spread: { key: string; value: string }[] = [];
    for (let i = 0; i < itemCount; i++) {
      const sku = `FOREIGN-${i}`;
      for (let k = 0; k < 3; k++) {
        const commandId = `rr-${sku}-${k}`;
        const command = { type: 'ReceiveStock', commandId, sku, warehouseId: 'WH-1', quantity: 1 };
        spread.push({ key: itemKeyOf(sku, 'WH-1'), value: `\n${JSON.stringify(command)}` });
      }
      expected.get(itemKeyOf(sku, 'WH-1'))!.totalQty += 3;
    }

    const crcProducer = client.producer({ createPartitioner: crc32Partitioner });
    const roundRobinProducer = client.producer({ createPartitioner: roundRobinPartitioner });
    await crcProducer.connect();
    await roundRobinProducer.connect();
    try {
      await crcProducer.send({ topic: config.topics.commands, messages: keyed });
      await roundRobinProducer.send({ topic: config.topics.commands, messages: spread });
    } finally {
      await crcProducer.disconnect();
      await roundRobinProducer.disconnect();
    }
    // The point of the test: most keys land elsewhere than stockd's partition of their item.
    const elsewhere = [...orderSent.keys()].filter(
      (key) => crc32(Buffer.from(key)) % partitionCount !== partitionOf(key, partitionCount),
    );
    expect(elsewhere.length).toBeGreaterThan(itemCount / 2);

    const total = keyed.length + spread.length;
    service = startService(dir.path, config, {
      STOCKD_PARTITIONS: `${partitionCount}`,
      STOCKD_WORKERS: '2',
    });
    try {
      await results.until((r) => r.length >= total, 120_000, `${total} results`);
    } finally {
      await results.stop();
    }
    service.child.kill('SIGTERM');
    expect((await service.exited).code, service.tail()).toBe(0);

    const answers = results.received.map(({ partition, message }) => ({
      partition,
      offset: BigInt(message.offset),
      result: decodeValue(message.value!) as CommandResult,
    }));
    expect(answers.filter(({ result }) => !result.ok).map(({ result }) => result)).toEqual([]);
    expect(new Set(answers.map(({ result }) => result.commandId)).size).toBe(total);
    const misplaced = answers.filter(
      ({ partition, result }) => sentTo.get(result.commandId) !== partition,
    );
    expect(misplaced.map(({ result }) => result.commandId)).toEqual([]);
    for (const [key, ids] of orderSent) {
      const answered = answers
        .filter(({ result }) => ids.includes(result.commandId))
        .sort((a, b) => (a.offset < b.offset ? -1 : 1))
        .map(({ result }) => result.commandId);
      expect(answered, key).toEqual(ids);
    }

    const levels = new Map<string, { totalQty: number; reservedQty: number }>();
    for (const actor of await readAllPartitions(dir.path)) {
      for (let index = 0; index < actor.items.size; index++) {
        const { totalQty, reservedQty } = actor.items.read(index);
        levels.set(actor.items.keyAt(index), { totalQty, reservedQty });
      }
    }
    expect(levels).toEqual(expected);
  });
});
