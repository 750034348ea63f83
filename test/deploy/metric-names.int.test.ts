// Every metric the operations kit reads exists: the names (and the label values it selects on)
// of every alerting rule and dashboard query, against a real /metrics scrape of stockd composed
// as in production, with Kafka and PostgreSQL, after a little of every kind of traffic (so that
// series which appear only once something happened — the HTTP latency per route, the command
// topic lag, a dead letter, the projection's counts — are there too).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  deleteTopics,
  keyedProducer,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from '../kafka/kafka-test-kit.ts';
import { startTestApp, type TestApp } from '../support/http-app.ts';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  dashboardExpressions,
  dashboardVariableSeries,
  type KitExpression,
  ruleExpressions,
} from './operations-kit.ts';
import { selectorsOf } from './promql-selectors.ts';

/** Made by Prometheus itself, never in a scrape. */
const prometheusOwn = new Set(['up']);
/** Target labels Prometheus adds to every scraped series. */
const targetLabels = new Set(['job', 'instance']);

type Scrape = Map<string, Record<string, string>[]>;

/** The series of a Prometheus text exposition, by name (histograms by _bucket, _sum, _count). */
function seriesOf(text: string): Scrape {
  const series: Scrape = new Map();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (match === null) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
    );
    series.set(match[1]!, [...(series.get(match[1]!) ?? []), labels]);
  }
  return series;
}

/** What the expressions select that the scrape does not have, one line each. */
function missingFrom(scrape: Scrape, expressions: readonly KitExpression[]): string[] {
  const missing: string[] = [];
  for (const { where, expr } of expressions) {
    for (const { name, matchers } of selectorsOf(expr)) {
      if (prometheusOwn.has(name)) continue;
      const series = scrape.get(name);
      if (series === undefined) {
        missing.push(`${where}: ${name}`);
        continue;
      }
      for (const { label, op, value } of matchers) {
        if (targetLabels.has(label)) continue;
        if (!series.some((labels) => label in labels)) {
          missing.push(`${where}: ${name} has no label ${label}`);
        } else if (op === '=' && !series.some((labels) => labels[label] === value)) {
          missing.push(`${where}: ${name} has no series with ${label}="${value}"`);
        }
      }
    }
  }
  return [...new Set(missing)];
}

describe('the metrics of the operations kit (deploy/)', () => {
  const brokers = testBrokers();
  const kafka = uniqueKafkaConfig(brokers, 'kit');
  let database: ScratchDatabase;
  let t: TestApp;

  beforeAll(async () => {
    const serverUrl =
      (inject('databaseUrl') as string | undefined) ??
      'postgres://postgres@127.0.0.1:5432/postgres';
    database = await createScratchDatabase(serverUrl, 'stockd_kit');
    t = await startTestApp({
      KAFKA_BROKERS: brokers.join(','),
      STOCKD_KAFKA_CLIENT_ID: kafka.clientId,
      STOCKD_KAFKA_GROUP: kafka.consumerGroup,
      STOCKD_TOPIC_COMMANDS: kafka.topics.commands,
      STOCKD_TOPIC_RESULTS: kafka.topics.results,
      STOCKD_TOPIC_DLQ: kafka.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: kafka.topics.events,
      DATABASE_URL: database.url,
      STOCKD_PROJECTOR_LAG_POLL_MS: '200',
    });
  });

  afterAll(async () => {
    await t?.close();
    await deleteTopics(brokers, kafka);
    await database?.drop();
  });

  it('are all in a real scrape: every name, label and selected label value', async () => {
    await waitFor(async () => (await t.app.inject('/readyz')).json().status === 'ready', {
      timeoutMs: 120_000,
      what: 'the relay, the command consumer and the projector to run',
    });
    // HTTP: receipts, a hold, a refusal.
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });
    expect(
      (await post('/inventory/receipts', { sku: 'K', warehouseId: 'W', quantity: 5 })).statusCode,
    ).toBe(200);
    expect(
      (
        await post('/inventory/reserve', {
          idempotencyKey: 'k-1',
          sku: 'K',
          warehouseId: 'W',
          quantity: 2,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await post('/inventory/reserve', {
          idempotencyKey: 'k-2',
          sku: 'K',
          warehouseId: 'W',
          quantity: 9,
        })
      ).statusCode,
    ).toBe(409);
    // Kafka: a command, and a message that is none.
    const producer = keyedProducer(testClient(brokers));
    await producer.connect();
    try {
      await producer.send({
        topic: kafka.topics.commands,
        messages: [
          {
            key: 'K|W',
            value: JSON.stringify({
              type: 'ReceiveStock',
              commandId: 'kit-1',
              sku: 'K',
              warehouseId: 'W',
              quantity: 1,
            }),
          },
          { key: 'K|W', value: 'not a command' },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const expressions = [
      ...ruleExpressions(),
      ...dashboardExpressions(),
      ...dashboardVariableSeries(),
    ];
    expect(expressions.length).toBeGreaterThan(50);
    let missing: string[] = [];
    await waitFor(
      async () => {
        missing = missingFrom(seriesOf((await t.app.inject('/metrics')).body), expressions);
        return missing.length === 0;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: () => `these series:\n${missing.join('\n')}` },
    );
    expect(missing).toEqual([]);
  });
});
