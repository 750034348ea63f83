// Orders through the command topic on a real broker: PlaceOrder, ChangeOrder, ConfirmOrder and
// CancelOrder each get one result (with the order, or the failing lines), and every order event
// reaches the events topic on its order's partition, keyed by the orderId.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import type { Component } from '../../src/compose/component.ts';
import { startKafkaComponents } from '../../src/compose/kafka-components.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { decodeWireEvent, isWireOrderEvent } from '../../src/kafka/wire-event.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { tempDir } from '../support/temp-dir.ts';
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
const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W', quantity });

describe('orders on the command topic', () => {
  const dir = tempDir('kafka-orders');
  const brokers = testBrokers();
  const config = uniqueKafkaConfig(brokers, 'orders');
  const client = testClient(brokers);
  let engine: Engine;
  let components: Component[] = [];

  beforeAll(async () => {
    engine = await startEngine(
      engineOptions({ dataDir: dir.path, workerCount: 2, partitionCount }),
    );
    const orders = createOrders({
      engine,
      defaultTtlSeconds: 600,
      linesMax: 10,
      expiryIntervalMs: 200,
      expiryBatchMax: 100,
    });
    const kafka = startKafkaComponents({
      engine,
      orders,
      requests: { defaultTtlSeconds: 900, linesMax: 10 },
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

  it('answers each order request once, with the order or its failing lines', async () => {
    const send = async (messages: object[]) => {
      const producer = keyedProducer(client);
      await producer.connect();
      await producer.send({
        topic: config.topics.commands,
        messages: messages.map((m) => ({ key: 'orders', value: JSON.stringify(m) })),
      });
      await producer.disconnect();
    };
    const results = await readTopic(client, config.topics.results);
    const events = await readTopic(client, config.topics.events);
    const resultOf = (commandId: string) =>
      results.received
        .map(({ message }) => decodeValue(message.value!) as CommandResult)
        .find((result) => result.commandId === commandId);
    const receipts = ['A', 'B', 'C'].map((sku) => ({
      type: 'ReceiveStock',
      commandId: `rcv-${sku}`,
      ...line(sku, 5),
    }));
    await send(receipts);
    await results.until((r) => r.length >= 3, 60_000, 'receipts');
    // One key, one partition: the requests are answered in this order.
    await send([
      {
        type: 'PlaceOrder',
        commandId: 'p-1',
        orderId: 'k-1',
        lines: [line('A', 2), line('B', 1), line('C', 1)],
      },
      { type: 'PlaceOrder', commandId: 'p-2', orderId: 'k-2', lines: [line('A', 1), line('B', 9)] },
      {
        type: 'ChangeOrder',
        commandId: 'c-1',
        orderId: 'k-1',
        lines: [line('C', 0), line('A', 3)],
      },
      { type: 'ConfirmOrder', commandId: 'f-1', orderId: 'k-1', lines: [line('B', 0)] },
      { type: 'CancelOrder', commandId: 'x-1', orderId: 'k-1' },
      { type: 'PlaceOrder', commandId: 'p-3', orderId: 'k-3', lines: [line('C', 1)] },
      { type: 'CancelOrder', commandId: 'x-3', orderId: 'k-3' },
    ]);
    await results.until((r) => r.length >= 10, 60_000, 'order results');
    expect(resultOf('p-1')).toMatchObject({
      ok: true,
      applied: true,
      type: 'PlaceOrder',
      order: { orderId: 'k-1', status: 'HELD', totalQuantity: 4 },
    });
    expect(resultOf('p-2')).toMatchObject({
      ok: false,
      code: 'ORDER_FAILED',
      lines: [
        { sku: 'A', code: 'LINKED_LINE_FAILED' },
        { sku: 'B', code: 'INSUFFICIENT_STOCK' },
      ],
    });
    expect(resultOf('c-1')).toMatchObject({ ok: true, applied: true, order: { version: 2 } });
    expect(resultOf('f-1')).toMatchObject({
      ok: true,
      order: { status: 'CONFIRMED', lines: [line('A', 3), line('B', 0)] },
    });
    expect(resultOf('x-1')).toMatchObject({ ok: false, code: 'ORDER_CONFIRMED' });
    expect(resultOf('x-3')).toMatchObject({ ok: true, order: { status: 'CANCELLED' } });
    const levels = await Promise.all(
      ['A', 'B', 'C'].map((sku) => engine.submit({ type: 'GetItem', sku, warehouseId: 'W' })),
    );
    expect(levels.map((r) => (r.ok ? [r.item?.totalQty, r.item?.reservedQty] : r))).toEqual([
      [2, 0],
      [5, 0],
      [5, 0],
    ]);

    // k-1: placed, held, change requested and adjusted, confirmed, settled; k-2: placed,
    // failed; k-3: placed, held, cancelled, settled.
    await events.until(
      (received) =>
        received.filter(({ message }) => isWireOrderEvent(decodeWireEvent(message.value!)))
          .length >= 12,
      60_000,
      'order events',
    );
    const orderEvents = events.received.flatMap(({ partition, message }) => {
      const event = decodeWireEvent(message.value!);
      return isWireOrderEvent(event) ? [{ partition, key: message.key!.toString(), event }] : [];
    });
    for (const { partition, key, event } of orderEvents) {
      expect(key).toBe(event.orderId);
      expect(partition).toBe(partitionOf(event.orderId, partitionCount));
      expect(event.partition).toBe(partition);
    }
    expect(orderEvents.filter((e) => e.event.orderId === 'k-1').map((e) => e.event.type)).toEqual([
      'OrderPlaced',
      'OrderHeld',
      'OrderChangeRequested',
      'OrderQuantityAdjusted',
      'OrderConfirmed',
      'OrderSettled',
    ]);
    await results.stop();
    await events.stop();
  });
});
