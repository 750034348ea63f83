// docs/asyncapi.yaml against a running stockd on a real broker: what it sends — every event
// type of the domain, results of every kind, dead letters of every reason — validates against
// the document's message schemas and headers, with no field the document does not list; the
// commands it was driven with are accepted by the codec and valid in the document. Events are
// keyed and partitioned as the document says (murmur2 of the key).
import { pack } from 'msgpackr';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import type { Component } from '../../src/compose/component.ts';
import { startKafkaComponents } from '../../src/compose/kafka-components.ts';
import { commandConsumerDefaults } from '../../src/config/defaults.ts';
import type { Command } from '../../src/domain/commands.ts';
import { eventTypes } from '../../src/domain/events.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { orderEventTypes } from '../../src/domain/order-events.ts';
import type { OrderRequestType } from '../../src/domain/order-requests.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { createCommandDecoder, decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import { decodeWireEvent, isWireOrderEvent, type WireEntry } from '../../src/kafka/wire-event.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { manualClock } from '../../src/worker-protocol/clock.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  clean,
  conformance,
  headersOf,
  type LoadedDocument,
  loadDocument,
} from './asyncapi-document.ts';
import {
  deleteTopics,
  keyedProducer,
  quietLogger,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

const partitionCount = 4;
const epochMs = Date.parse('2031-06-01T00:00:00.000Z');
const valueBytesMax = commandConsumerDefaults.valueBytesMax;
const decoder = createCommandDecoder({ valueBytesMax, defaultTtlSeconds: 600, linesMax: 10 });

/** The types of the samples sent (the unit test holds the document to the code's list). */
type ClientCommandType =
  | Exclude<Command['type'], 'Expire' | 'HoldLine' | 'SetLineQuantity' | 'SettleLine'>
  | OrderRequestType;

describe('what stockd sends conforms to the document', () => {
  const dir = tempDir('asyncapi');
  const brokers = testBrokers();
  const config = uniqueKafkaConfig(brokers, 'asyncapi');
  const client = testClient(brokers);
  const clock = manualClock(epochMs);
  let engine: Engine;
  let orders: ReturnType<typeof createOrders>;
  let components: Component[] = [];
  let doc: LoadedDocument;

  beforeAll(async () => {
    doc = await loadDocument();
    engine = await startEngine(
      engineOptions({ dataDir: dir.path, workerCount: 1, partitionCount, clock }),
    );
    orders = createOrders({
      engine,
      defaultTtlSeconds: 600,
      linesMax: 10,
      expiryIntervalMs: 200,
      expiryBatchMax: 100,
    });
    const kafka = startKafkaComponents({
      engine,
      orders,
      requests: { defaultTtlSeconds: 600, linesMax: 10 },
      kafka: config,
      logger: quietLogger(),
      metrics: new Registry(),
    });
    components = [...kafka.components];
    await kafka.running;
  });

  afterAll(async () => {
    for (const component of components.reverse()) await component.stop();
    await engine?.close();
    await deleteTopics(brokers, config);
    dir.remove();
  });

  it('every event type, results of every kind and dead letters of every reason', async () => {
    const results = await readTopic(client, config.topics.results);
    const events = await readTopic(client, config.topics.events);
    const deadLetters = await readTopic(client, config.topics.deadLetters);
    const producer = keyedProducer(client);
    await producer.connect();
    const sent: { value: Buffer; type: string }[] = [];
    const item = (sku: string) => itemKeyOf(sku, 'W');
    const send = async (messages: { key: string; command: Record<string, unknown> }[]) => {
      // Both encodings: every other command as MessagePack.
      const encoded = messages.map(({ key, command }) => ({
        key,
        value: sent.length % 2 === 0 ? Buffer.from(JSON.stringify(command)) : pack(command),
        type: command.type as string,
      }));
      sent.push(...encoded.map(({ value, type }) => ({ value, type })));
      await producer.send({
        topic: config.topics.commands,
        messages: encoded.map(({ key, value }) => ({ key, value })),
      });
    };
    const resultsById = () =>
      new Map(
        results.received.map(({ message }) => {
          const result = decodeValue(message.value!) as { commandId: string };
          return [result.commandId, result as Record<string, unknown>];
        }),
      );
    const answered = (count: number, what: string) =>
      results.until((r) => r.length >= count, 60_000, what);
    const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W', quantity });
    const samples: Partial<Record<ClientCommandType, true>> = {};
    const command = (type: ClientCommandType, fields: Record<string, unknown>) => {
      samples[type] = true;
      return { type, ...fields };
    };

    await send([
      {
        key: item('A'),
        command: command('ReceiveStock', { commandId: 'r-a', ...line('A', 100), reason: 'dock 4' }),
      },
      { key: item('B'), command: command('ReceiveStock', { commandId: 'r-b', ...line('B', 10) }) },
      { key: item('C'), command: command('ReceiveStock', { commandId: 'r-c', ...line('C', 1) }) },
      {
        key: item('A'),
        command: command('AdjustStock', {
          commandId: 'a-1',
          sku: 'A',
          warehouseId: 'W',
          delta: -3,
          reason: 'damaged',
          actor: 'erp',
        }),
      },
      // A count to a total above 32 bits: its events carry int64 totals.
      {
        key: item('B'),
        command: command('AdjustStock', {
          commandId: 'a-2',
          sku: 'B',
          warehouseId: 'W',
          setTotal: 2 ** 33,
          reason: 'count',
        }),
      },
      {
        key: item('C'),
        command: command('SetItemStatus', {
          commandId: 's-1',
          sku: 'C',
          warehouseId: 'W',
          status: 'INACTIVE',
        }),
      },
      {
        key: item('C'),
        command: command('SetItemStatus', {
          commandId: 's-2',
          sku: 'C',
          warehouseId: 'W',
          status: 'ACTIVE',
        }),
      },
      {
        key: item('A'),
        command: command('Reserve', {
          commandId: 'v-1',
          ...line('A', 5),
          idempotencyKey: 'k-1',
          ttlSeconds: 900,
        }),
      },
      {
        key: item('A'),
        command: command('Reserve', {
          commandId: 'v-2',
          ...line('A', 1),
          idempotencyKey: 'k-2',
          ttlSeconds: 60,
        }),
      },
      {
        key: item('A'),
        command: command('Reserve', {
          commandId: 'v-3',
          ...line('A', 1),
          idempotencyKey: 'k-3',
          ttlSeconds: 900,
        }),
      },
      {
        key: item('C'),
        command: command('Reserve', {
          commandId: 'v-4',
          ...line('C', 5),
          idempotencyKey: 'k-4',
          ttlSeconds: 900,
        }),
      },
      {
        key: 'o-1',
        command: command('PlaceOrder', {
          commandId: 'p-1',
          orderId: 'o-1',
          customerId: 'cust-1',
          actor: 'shop-frontend',
          lines: [line('A', 2), line('B', 3)],
        }),
      },
      {
        key: 'o-2',
        command: command('PlaceOrder', {
          commandId: 'p-2',
          orderId: 'o-2',
          lines: [line('A', 1), line('C', 9)],
        }),
      },
      {
        key: 'o-3',
        command: command('PlaceOrder', {
          commandId: 'p-3',
          orderId: 'o-3',
          lines: [line('B', 1)],
          ttlSeconds: 60,
        }),
      },
      {
        key: 'o-4',
        command: command('PlaceOrder', { commandId: 'p-4', orderId: 'o-4', lines: [line('B', 1)] }),
      },
    ]);
    await answered(15, 'the first commands');
    // A redelivery: the same commandId and body, answered as a duplicate.
    await send([
      { key: item('B'), command: command('ReceiveStock', { commandId: 'r-b', ...line('B', 10) }) },
    ]);
    await answered(16, 'the redelivery');
    const reservationOf = (commandId: string) =>
      (resultsById().get(commandId)!.reservation as { reservationId: string }).reservationId;
    await send([
      {
        key: item('A'),
        command: command('ChangeReservation', {
          commandId: 'c-1',
          reservationId: reservationOf('v-1'),
          quantity: 7,
        }),
      },
      {
        key: item('A'),
        command: command('Confirm', { commandId: 'f-1', reservationId: reservationOf('v-1') }),
      },
      {
        key: item('A'),
        command: command('Release', { commandId: 'l-1', reservationId: reservationOf('v-3') }),
      },
      {
        key: 'o-1',
        command: command('ChangeOrder', {
          commandId: 'co-1',
          orderId: 'o-1',
          lines: [line('A', 3)],
        }),
      },
      {
        key: 'o-1',
        command: command('ChangeOrder', {
          commandId: 'co-2',
          orderId: 'o-1',
          lines: [line('C', 50)],
        }),
      },
      {
        key: 'o-1',
        command: command('ConfirmOrder', {
          commandId: 'fo-1',
          orderId: 'o-1',
          lines: [line('B', 2)],
        }),
      },
      { key: 'o-4', command: command('CancelOrder', { commandId: 'x-4', orderId: 'o-4' }) },
    ]);
    await answered(23, 'the second commands');
    // Time passes: v-2's hold and the order o-3 expire.
    clock.advance(61_000);
    await engine.runHousekeeping();
    await orders.expireDueOrders();

    const large = JSON.stringify({ type: 'ReceiveStock', reason: 'x'.repeat(valueBytesMax) });
    await producer.send({
      topic: config.topics.commands,
      messages: [
        { key: 'bad', value: null },
        { key: 'bad', value: large },
        { key: 'bad', value: Buffer.from([0xc1, 0x00]) },
        { key: 'bad', value: JSON.stringify({ type: 'ReceiveStock' }) },
        {
          key: 'bad',
          value: JSON.stringify({ type: 'ReceiveStock', commandId: 'bad-1', ...line('A', 0) }),
          headers: { trace: 't-1' },
        },
      ],
    });
    await producer.disconnect();
    await deadLetters.until((r) => r.length >= 5, 60_000, 'dead letters');
    const allTypes = [...eventTypes, ...orderEventTypes];
    const typesSeen = () =>
      new Set(events.received.map(({ message }) => decodeWireEvent(message.value!).type));
    await events.until(() => allTypes.every((type) => typesSeen().has(type)), 60_000, 'events');
    await Promise.all([results.stop(), events.stop(), deadLetters.stop()]);

    // Every client command type was sent, accepted by the codec and valid in the document.
    expect(Object.keys(samples).sort()).toEqual([...doc.channels.get('commands')!.keys()].sort());
    for (const { value, type } of sent) {
      expect(decoder.decode(value), type).toMatchObject({ ok: true });
      expect(conformance(doc.channels.get('commands')!.get(type), decodeValue(value))).toEqual(
        clean,
      );
    }

    // Events: schema, headers, key and partition.
    for (const { partition, message } of events.received) {
      const event: WireEntry = decodeWireEvent(message.value!);
      expect(
        conformance(doc.channels.get('events')!.get(event.type), event, message),
        event.type,
      ).toEqual(clean);
      const key = isWireOrderEvent(event) ? event.orderId : itemKeyOf(event.sku, event.warehouseId);
      expect(message.key!.toString()).toBe(key);
      expect(partition).toBe(partitionOf(key, partitionCount));
      expect(message.timestamp).toBe(`${event.timestampMs}`);
    }

    // Results: each kind at least once, every one conforming.
    const kinds = new Set<string>();
    for (const { message } of results.received) {
      const result = decodeValue(message.value!) as Record<string, unknown>;
      const name = result.ok === true ? 'CommandAccepted' : 'CommandRefused';
      expect(
        conformance(doc.channels.get('results')!.get(name), result, message),
        String(result.commandId),
      ).toEqual(clean);
      for (const field of ['item', 'reservation', 'order', 'duplicate', 'code', 'lines']) {
        if (result[field] !== undefined) kinds.add(field);
      }
      if ((result.reservation as { history?: unknown } | undefined)?.history) kinds.add('history');
    }
    expect([...kinds].sort()).toEqual(
      ['code', 'duplicate', 'history', 'item', 'lines', 'order', 'reservation'].sort(),
    );

    // Dead letters: every reason the document names, and only those.
    const reasons = new Set<string>();
    for (const { message } of deadLetters.received) {
      expect(conformance(doc.channels.get('deadLetters')!.get('DeadLetter'), {}, message)).toEqual(
        clean,
      );
      reasons.add(headersOf(message)['stockd-dlq-reason']!);
    }
    const raw = doc.raw as {
      components: {
        schemas: { DeadLetterHeaders: { properties: Record<string, { enum?: string[] }> } };
      };
    };
    expect([...reasons].sort()).toEqual(
      [...raw.components.schemas.DeadLetterHeaders.properties['stockd-dlq-reason']!.enum!].sort(),
    );
    const traced = deadLetters.received.find(({ message }) => headersOf(message).trace === 't-1');
    expect(headersOf(traced!.message)['stockd-command-id']).toBe('bad-1');
  });
});
