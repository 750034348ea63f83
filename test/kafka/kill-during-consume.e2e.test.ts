// SIGKILL in the middle of consuming the command topic: the real service (node src/main.ts
// serve) is killed twice while it works through a backlog of commands, and restarted. In the
// end every commandId has a result, none was applied twice, and the levels are exactly the sum
// of the commands: receipts and adjustments have no idempotency of their own, only commandIds.
import { pack } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { createTopics } from '../support/kafka-broker.ts';
import { readAllPartitions } from '../support/read-partitions.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  deleteTopics,
  keyedProducer,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';
import { type ServiceProcess, startService } from './service-process.ts';

const partitionCount = 8;
const itemCount = 40;
const commandsPerItem = 1_500;

interface Expected {
  totalQty: number;
  reservedQty: number;
}

/** Per item, in order: receipts (1–5 units), a +2 adjustment every 10th, a 1-unit reserve every 4th. */
function commands() {
  const messages: { key: string; value: Buffer | string }[] = [];
  const expected = new Map<string, Expected>();
  for (let item = 0; item < itemCount; item++) {
    const sku = `SKU-${item}`;
    const levels = { totalQty: 0, reservedQty: 0 };
    for (let k = 0; k < commandsPerItem; k++) {
      const commandId = `${sku}-${k}`;
      const base = { commandId, sku, warehouseId: 'WH-1' };
      let command: object;
      if (k % 4 === 3) {
        command = {
          ...base,
          type: 'Reserve',
          idempotencyKey: `order-${commandId}`,
          quantity: 1,
          ttlSeconds: 86_400,
        };
        levels.reservedQty += 1;
      } else if (k % 10 === 9) {
        command = { ...base, type: 'AdjustStock', delta: 2, reason: 'recount' };
        levels.totalQty += 2;
      } else {
        command = { ...base, type: 'ReceiveStock', quantity: 1 + (k % 5) };
        levels.totalQty += 1 + (k % 5);
      }
      messages.push({
        key: itemKeyOf(sku, 'WH-1'),
        value: k % 2 === 0 ? pack(command) : JSON.stringify(command),
      });
    }
    expected.set(itemKeyOf(sku, 'WH-1'), levels);
  }
  return { messages, expected };
}

describe('SIGKILL while consuming the command topic', () => {
  const dir = tempDir('kafka-kill');
  const brokers = testBrokers();
  const config = uniqueKafkaConfig(brokers, 'kill');
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

  it('loses no command and applies none twice', { timeout: 600_000 }, async () => {
    const { messages, expected } = commands();
    await createTopics(brokers, [
      { topic: config.topics.commands, numPartitions: partitionCount },
      { topic: config.topics.results, numPartitions: partitionCount },
    ]);
    const results = await readTopic(client, config.topics.results);
    const answered = new Set<string>();
    const appliedTwice: string[] = [];
    const applied = new Set<string>();
    const notOk: CommandResult[] = [];
    let duplicates = 0;
    let seen = 0;
    const account = () => {
      for (; seen < results.received.length; seen++) {
        const result = decodeValue(results.received[seen]!.message.value!) as CommandResult;
        answered.add(result.commandId);
        if (!result.ok) notOk.push(result);
        else if (result.duplicate) duplicates++;
        else if (result.applied) {
          if (applied.has(result.commandId)) appliedTwice.push(result.commandId);
          applied.add(result.commandId);
        }
      }
      return answered.size;
    };

    const producer = keyedProducer(client);
    await producer.connect();
    for (let start = 0; start < messages.length; start += 5_000) {
      await producer.send({
        topic: config.topics.commands,
        messages: messages.slice(start, start + 5_000),
      });
    }
    await producer.disconnect();

    const env = { STOCKD_PARTITIONS: `${partitionCount}`, STOCKD_WORKERS: '2' };
    try {
      // Two kills at different points of the backlog, each followed by a restart.
      for (const killAt of [0.2, 0.6]) {
        service = startService(dir.path, config, env);
        const target = Math.floor(messages.length * killAt);
        await results.until(
          () => account() >= target || service!.child.exitCode !== null,
          240_000,
          `${target} results`,
        );
        expect(service.child.exitCode, service.tail()).toBeNull();
        service.child.kill('SIGKILL');
        expect((await service.exited).signal).toBe('SIGKILL');
        // Killed mid-stream, not after the end.
        expect(account()).toBeLessThan(messages.length);
      }
      service = startService(dir.path, config, env);
      await results.until(
        () => account() >= messages.length,
        300_000,
        'a result for every command',
      );
      service.child.kill('SIGTERM');
      expect((await service.exited).code, service.tail()).toBe(0);
    } finally {
      await results.stop();
    }

    expect(notOk).toEqual([]);
    expect(appliedTwice).toEqual([]);
    expect(answered.size).toBe(messages.length);
    // What was decided but not answered before a kill came back as a duplicate, never applied.
    expect(applied.size + duplicates).toBeGreaterThanOrEqual(messages.length);

    const levels = new Map<string, Expected>();
    for (const actor of await readAllPartitions(dir.path)) {
      for (let index = 0; index < actor.items.size; index++) {
        const { totalQty, reservedQty } = actor.items.read(index);
        levels.set(actor.items.keyAt(index), { totalQty, reservedQty });
      }
    }
    expect(levels).toEqual(expected);
  });
});
