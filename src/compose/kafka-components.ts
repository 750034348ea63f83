import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createBatchCommands, orderRequestRunner } from '../app/batch-commands.ts';
import { createOrders, type Orders } from '../app/orders/orders.ts';
import type { KafkaConfig } from '../config/config.ts';
import { engineDefaults, orderDefaults } from '../config/defaults.ts';
import type { Engine } from '../engine/engine.ts';
import { type CommandConsumer, startCommandConsumer } from '../ingress/kafka/command-consumer.ts';
import { startCommandIngressThread } from '../ingress/kafka/command-ingress-thread.ts';
import { createConsumerMetrics } from '../ingress/kafka/consumer-metrics.ts';
import { createKafkaClient } from '../kafka/kafka-client.ts';
import { ensureTopics, type TopicSpec, topicSpecs } from '../kafka/topics.ts';
import { type Relay, startRelay } from '../replication/relay.ts';
import { createRelayMetrics } from '../replication/relay-metrics.ts';
import type { BodySettings } from '../requests/bodies.ts';
import type { Component } from './component.ts';

export interface KafkaComponentsDependencies {
  readonly engine: Engine;
  /**
   * The order coordinator that order requests of the command topic run on; by default one of
   * default settings over `engine` (no recovery, no expiry: for tests of Kafka alone).
   */
  readonly orders?: Orders;
  /**
   * What the command messages' schemas depend on: the same settings as HTTP's bodies (by default
   * the defaults: the default hold time, STOCKD_ORDER_LINES_MAX).
   */
  readonly requests?: BodySettings;
  readonly kafka: KafkaConfig;
  readonly logger: Logger;
  readonly metrics: Registry;
}

export interface KafkaComponents {
  readonly relay: Relay;
  readonly consumer: CommandConsumer;
  /** In start order; the server stops them in reverse. */
  readonly components: readonly Component[];
  /** Resolves once both run (tests, benchmarks); rejects with the error of one that failed. */
  readonly running: Promise<void>;
}

/**
 * Everything stockd does with Kafka: the relay and the command consumer, each checking (and
 * creating) its own topics first. Returns at once: both start in the background and retry
 * while the broker is away, so Kafka never keeps HTTP from serving; readiness shows how far
 * they got. The server stops them in reverse order, so the consumer stops feeding the engine
 * before the relay publishes its last round.
 */
export function startKafkaComponents(deps: KafkaComponentsDependencies): KafkaComponents {
  const { engine, kafka, logger, metrics } = deps;
  const client = createKafkaClient(kafka, logger);
  const specs = topicSpecs(kafka.topics, engine.identity.partitionCount);
  const topicsOf = (...names: string[]) => specs.filter((spec) => names.includes(spec.topic));

  const relay = startRelay({
    client,
    store: engine.store,
    storeId: engine.identity.storeId,
    partitionCount: engine.identity.partitionCount,
    topic: kafka.topics.events,
    logger,
    settings: kafka.relay,
    metrics: (lag) => createRelayMetrics(metrics, lag),
    retry: kafka.client.retry,
    prepare: () => checkTopics(client, topicsOf(kafka.topics.events), logger),
    writesRefused: () => engine.storage.refusing,
  });
  const requests = deps.requests ?? {
    defaultTtlSeconds: orderDefaults.ttlSeconds,
    linesMax: orderDefaults.linesMax,
  };
  const runOrderRequests = orderRequestRunner(deps.orders ?? defaultOrders(engine));
  const commandTopics = [kafka.topics.commands, kafka.topics.results, kafka.topics.deadLetters];
  const consumerMetrics = createConsumerMetrics(metrics);
  // On its own thread (which checks the command topics itself): command-ingress-thread.ts.
  const consumer =
    kafka.commandConsumer.thread === 'own'
      ? startCommandIngressThread({
          engine: engine.link(),
          runOrderRequests,
          kafka,
          requests,
          partitionCount: engine.identity.partitionCount,
          logger,
          metrics: consumerMetrics,
        })
      : startCommandConsumer({
          client,
          commands: createBatchCommands({
            engine,
            runOrderRequests,
            defaultTtlSeconds: requests.defaultTtlSeconds,
          }),
          topics: kafka.topics,
          groupId: kafka.consumerGroup,
          logger,
          metrics: consumerMetrics,
          settings: kafka.commandConsumer,
          requests,
          retry: kafka.client.retry,
          prepare: () => checkTopics(client, topicsOf(...commandTopics), logger),
        });
  const running = Promise.all([relay.running, consumer.running]).then(() => {});
  running.catch(() => {}); // readiness reports a failure; awaiting this is optional
  return { relay, consumer, components: [relay, consumer], running };
}

/** One attempt at the topic check, on an admin client of its own. */
async function checkTopics(client: Kafka, specs: readonly TopicSpec[], logger: Logger) {
  const admin = client.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, specs, logger);
  } finally {
    await admin.disconnect();
  }
}

function defaultOrders(engine: Engine) {
  return createOrders({
    engine,
    defaultTtlSeconds: orderDefaults.ttlSeconds,
    linesMax: orderDefaults.linesMax,
    expiryIntervalMs: engineDefaults.housekeeping.expiryIntervalMs,
    expiryBatchMax: engineDefaults.housekeeping.expiryBatchMax,
  });
}
