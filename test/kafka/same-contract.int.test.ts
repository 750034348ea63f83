// HTTP and the Kafka command topic accept exactly the same bodies: every bad input of HTTP's
// table, sent as a command message, gets HTTP's code in its result or dead letter, and every
// valid body is accepted by both — on one stockd, composed as production composes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { decodeValue } from '../../src/ingress/kafka/command-codec.ts';
import type { CommandResult } from '../../src/ingress/kafka/command-result.ts';
import { deadLetterHeaders } from '../../src/ingress/kafka/dead-letter.ts';
import { badInputEnv, badInputRows } from '../http/bad-input-rows.ts';
import { startTestApp, type TestApp } from '../support/http-app.ts';
import {
  deleteTopics,
  headerText,
  keyedProducer,
  readTopic,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

/** The command type of each HTTP route the table posts to. */
const typeOfRoute: Readonly<Record<string, string>> = {
  '/inventory/reserve': 'Reserve',
  '/inventory/receipts': 'ReceiveStock',
  '/inventory/adjustments': 'AdjustStock',
  '/inventory/release': 'Release',
};

/**
 * HTTP's body as a command message: `type` and `commandId` spliced in after its opening brace,
 * so the rest stays byte for byte what HTTP got (1e400 included). What is not a JSON object
 * (broken JSON, an array, nothing) goes as it is.
 */
function asCommandMessage(body: string, type: string, commandId: string): string {
  if (!body.startsWith('{') || !body.trimEnd().endsWith('}')) return body;
  const envelope = `"type":${JSON.stringify(type)},"commandId":${JSON.stringify(commandId)}`;
  const rest = body.slice(1);
  return `{${envelope}${rest.trimStart().startsWith('}') ? '' : ','}${rest}`;
}

const brokers = testBrokers();
const kafka = uniqueKafkaConfig(brokers, 'same-contract');
const client = testClient(brokers);
let t: TestApp;
let results: Awaited<ReturnType<typeof readTopic>>;
let deadLetters: Awaited<ReturnType<typeof readTopic>>;
const producer = keyedProducer(client);

beforeAll(async () => {
  t = await startTestApp({
    ...badInputEnv,
    // The same bound on a value as on a body.
    STOCKD_CONSUMER_VALUE_BYTES_MAX: badInputEnv.STOCKD_HTTP_BODY_LIMIT_BYTES,
    STOCKD_PARTITIONS: '4',
    KAFKA_BROKERS: kafka.brokers.join(','),
    STOCKD_KAFKA_CLIENT_ID: kafka.clientId,
    STOCKD_KAFKA_GROUP: kafka.consumerGroup,
    STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
    STOCKD_TOPIC_RESULTS: kafka.topics.results,
    STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
    STOCKD_TOPIC_EVENTS: kafka.topics.events,
  });
  // The consumer creates its topics when it starts; the readers need them first.
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [kafka.topics.commands, kafka.topics.results, kafka.topics.deadLetters].map(
      (topic) => ({ topic, numPartitions: 4 }),
    ),
  });
  await admin.disconnect();
  results = await readTopic(client, kafka.topics.results);
  deadLetters = await readTopic(client, kafka.topics.deadLetters);
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer.disconnect();
  await results?.stop();
  await deadLetters?.stop();
  await t?.close();
  await deleteTopics(brokers, kafka);
});

/**
 * What became of a commandId: its result, or its dead letter (found by the commandId header, or
 * by the message key when no commandId could be read).
 */
function outcomeOf(
  commandId: string,
): { code: string; via: 'result' | 'dead letter'; detail: string } | undefined {
  const result = results.received.find(({ message }) => message.key?.toString() === commandId);
  if (result !== undefined) {
    const decoded = decodeValue(result.message.value!) as CommandResult;
    return {
      code: decoded.ok ? 'ok' : decoded.code,
      via: 'result',
      detail: JSON.stringify(decoded),
    };
  }
  const dead = deadLetters.received.find(
    ({ message }) =>
      headerText(message, deadLetterHeaders.commandId) === commandId ||
      message.key?.toString() === commandId,
  );
  if (dead === undefined) return undefined;
  return {
    code: headerText(dead.message, deadLetterHeaders.code) ?? '?',
    via: 'dead letter',
    detail: headerText(dead.message, deadLetterHeaders.detail) ?? '',
  };
}

/** Sends the messages and waits until each commandId has its result or its dead letter. */
async function send(
  messages: readonly { key: string; value: string | Buffer }[],
  commandIds: readonly string[],
) {
  await producer.send({ topic: kafka.topics.commands, messages: [...messages] });
  await results.until(
    () => commandIds.every((id) => outcomeOf(id) !== undefined),
    60_000,
    `an answer to each of ${commandIds.join(', ')}`,
  );
}

async function history(sku: string): Promise<string> {
  return (await t.app.inject(`/inventory/history?sku=${sku}&warehouse-id=WH-1`)).body;
}

describe('a bad input is refused alike by HTTP and by the command topic', () => {
  it("every row of HTTP's table gets HTTP's code in its result or dead letter", async () => {
    await t.app.inject({
      method: 'POST',
      url: '/inventory/receipts',
      payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 10 },
    });
    const before = await history('SKU-1');
    const messages = badInputRows.map(([, url, body], i) => ({
      key: `bad-${i}`,
      value: asCommandMessage(body, typeOfRoute[url]!, `bad-${i}`),
    }));
    await send(
      messages,
      messages.map(({ key }) => key),
    );

    const mismatches: string[] = [];
    for (const [i, [name, url, body, , code]] of badInputRows.entries()) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        body,
        headers: { 'content-type': 'application/json' },
      });
      const overHttp = response.json().code as string;
      const overKafka = outcomeOf(`bad-${i}`)!;
      if (overHttp !== code || overKafka.code !== code) {
        mismatches.push(`${name}: HTTP ${overHttp}, Kafka ${overKafka.code} (${overKafka.via})`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(await history('SKU-1')).toBe(before);
  });
});

describe('a valid body is accepted by both', () => {
  /** Each step: one request, over HTTP on the item `H`, over Kafka on the item `K`. */
  interface Step {
    readonly name: string;
    readonly type: string;
    readonly method: 'POST' | 'PUT' | 'PATCH';
    /** The path parameter, if any, is a field of the command message. */
    readonly url: (ids: Ids) => string;
    readonly path?: (ids: Ids) => Record<string, string>;
    readonly body: (sku: string, ids: Ids) => Record<string, unknown> | undefined;
  }
  interface Ids {
    readonly sku: string;
    readonly reservationIds: string[];
    readonly orderId: string;
  }
  const item = (sku: string) => ({ sku, warehouseId: 'WH-1' });
  const reserve = (extra: Record<string, unknown>): Step => ({
    name: `reserve ${JSON.stringify(extra)}`,
    type: 'Reserve',
    method: 'POST',
    url: () => '/inventory/reserve',
    body: (sku) => ({ ...item(sku), quantity: 1, ...extra }),
  });
  const rounds: Step[][] = [
    [
      {
        name: 'a receipt',
        type: 'ReceiveStock',
        method: 'POST',
        url: () => '/inventory/receipts',
        body: (sku) => ({ ...item(sku), quantity: 50 }),
      },
      {
        name: 'a receipt with a reason',
        type: 'ReceiveStock',
        method: 'POST',
        url: () => '/inventory/receipts',
        body: (sku) => ({ ...item(sku), quantity: 50, reason: 'delivery 7 — ünïcode' }),
      },
      {
        name: 'an adjustment by a delta',
        type: 'AdjustStock',
        method: 'POST',
        url: () => '/inventory/adjustments',
        body: (sku) => ({ ...item(sku), delta: -10, reason: 'damaged' }),
      },
      {
        name: 'an adjustment to a count',
        type: 'AdjustStock',
        method: 'POST',
        url: () => '/inventory/adjustments',
        body: (sku) => ({ ...item(sku), setTotal: 80, reason: 'count' }),
      },
      {
        name: 'a status',
        type: 'SetItemStatus',
        method: 'PUT',
        url: () => '/inventory/status',
        body: (sku) => ({ ...item(sku), status: 'ACTIVE' }),
      },
    ],
    [
      reserve({ idempotencyKey: 'key-1' }),
      reserve({ orderId: 'key-2' }),
      reserve({ idempotencyKey: 'key-3', orderId: 'key-3', ttlSeconds: 60 }),
      reserve({ orderId: 'key-4', ttlSeconds: 2_592_000 }),
      {
        name: 'an order placed',
        type: 'PlaceOrder',
        method: 'POST',
        url: () => '/orders',
        body: (sku, ids) => ({
          orderId: ids.orderId,
          customerId: 'customer-1',
          lines: [{ ...item(sku), quantity: 2 }],
        }),
      },
    ],
    [
      {
        name: 'a reservation changed',
        type: 'ChangeReservation',
        method: 'PATCH',
        url: (ids) => `/reservations/${ids.reservationIds[0]}`,
        path: (ids) => ({ reservationId: ids.reservationIds[0]! }),
        body: () => ({ quantity: 3 }),
      },
      {
        name: 'a reservation confirmed',
        type: 'Confirm',
        method: 'POST',
        url: () => '/inventory/confirm',
        body: (_, ids) => ({ reservationId: ids.reservationIds[1] }),
      },
      {
        name: 'a reservation released',
        type: 'Release',
        method: 'POST',
        url: () => '/inventory/release',
        body: (_, ids) => ({ reservationId: ids.reservationIds[2] }),
      },
      {
        name: 'an order changed',
        type: 'ChangeOrder',
        method: 'PATCH',
        url: (ids) => `/orders/${ids.orderId}`,
        path: (ids) => ({ orderId: ids.orderId }),
        body: (sku) => ({ lines: [{ ...item(sku), quantity: 1 }] }),
      },
    ],
    [
      {
        name: 'an order confirmed in full',
        type: 'ConfirmOrder',
        method: 'POST',
        url: (ids) => `/orders/${ids.orderId}/confirm`,
        path: (ids) => ({ orderId: ids.orderId }),
        body: () => ({}),
      },
    ],
  ];

  it('each request over HTTP and as a command message', async () => {
    const http: Ids = { sku: 'VALID-HTTP', reservationIds: [], orderId: 'order-http' };
    const overKafka: Ids = { sku: 'VALID-KAFKA', reservationIds: [], orderId: 'order-kafka' };
    const refused: string[] = [];
    for (const [round, steps] of rounds.entries()) {
      const messages = steps.map((step, i) => ({
        // Keyed by item (orders by orderId): per key, the order produced is the order decided.
        key: step.type.endsWith('Order') ? overKafka.orderId : itemKeyOf(overKafka.sku, 'WH-1'),
        value: JSON.stringify({
          type: step.type,
          commandId: `valid-${round}-${i}`,
          ...step.path?.(overKafka),
          ...step.body(overKafka.sku, overKafka),
        }),
      }));
      const commandIds = messages.map((_, i) => `valid-${round}-${i}`);
      await send(messages, commandIds);
      for (const [i, step] of steps.entries()) {
        const response = await t.app.inject({
          method: step.method,
          url: step.url(http),
          payload: step.body(http.sku, http),
        });
        if (response.statusCode >= 300) refused.push(`${step.name} over HTTP: ${response.body}`);
        const id = response.json().reservationId as string | undefined;
        if (step.type === 'Reserve' && id !== undefined) http.reservationIds.push(id);

        const answer = outcomeOf(commandIds[i]!)!;
        if (answer.code !== 'ok') refused.push(`${step.name} over Kafka: ${answer.detail}`);
        else if (step.type === 'Reserve') {
          const { reservation } = JSON.parse(answer.detail) as {
            reservation: { reservationId: string };
          };
          overKafka.reservationIds.push(reservation.reservationId);
        }
      }
    }
    expect(refused).toEqual([]);
    // The same requests leave both items at the same levels.
    const levels = async (sku: string) => {
      const body = (await t.app.inject(`/inventory?sku=${sku}&warehouse-id=WH-1`)).json();
      const { totalQty, reservedQty } = body.levels[0];
      return { totalQty, reservedQty };
    };
    expect(await levels(overKafka.sku)).toEqual(await levels(http.sku));
  });
});

// The configuration the test app reads is the one loadConfig checks: a typo in a variable name
// would silently leave the bound at its default and make the table's oversized row meaningless.
it('reads the value bound from the configuration the table relies on', () => {
  const config = loadConfig({
    STOCKD_DATA_DIR: '/tmp/unused',
    KAFKA_BROKERS: '127.0.0.1:1',
    STOCKD_CONSUMER_VALUE_BYTES_MAX: badInputEnv.STOCKD_HTTP_BODY_LIMIT_BYTES,
    ...badInputEnv,
  });
  expect(config.kafka?.commandConsumer.valueBytesMax).toBe(config.http.bodyLimitBytes);
});
