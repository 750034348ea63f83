import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type BatchCommands, createBatchCommands } from '../app/batch-commands.ts';
import { createOrders } from '../app/orders/orders.ts';
import type { KafkaConfig } from '../config/config.ts';
import { engineDefaults, orderDefaults } from '../config/defaults.ts';
import type { Engine } from '../engine/engine.ts';
import { startCommandConsumer } from '../ingress/kafka/command-consumer.ts';
import { createConsumerMetrics } from '../ingress/kafka/consumer-metrics.ts';
import { createKafkaClient } from '../kafka/kafka-client.ts';
import { ensureTopics, topicSpecs } from '../kafka/topics.ts';
import { startRelay } from '../replication/relay.ts';
import { createRelayMetrics } from '../replication/relay-metrics.ts';
import type { Component } from './component.ts';

export interface KafkaComponentsDependencies {
  readonly engine: Engine;
  /**
   * The use cases the command consumer calls; by default the batch entry over `engine`, with an
   * order coordinator of default settings (no recovery, no expiry: for tests of Kafka alone).
   */
  readonly commands?: BatchCommands;
  readonly kafka: KafkaConfig;
  readonly logger: Logger;
  readonly metrics: Registry;
}

/**
 * Everything stockd does with Kafka: checks (and creates) the topics, starts the relay, then
 * the command consumer. Returned in start order; the server stops them in reverse, so the
 * consumer stops feeding the engine before the relay publishes its last round.
 */
export async function startKafkaComponents(
  deps: KafkaComponentsDependencies,
): Promise<Component[]> {
  const { engine, kafka, logger, metrics } = deps;
  const client = createKafkaClient(kafka, logger);
  const admin = client.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topicSpecs(kafka.topics, engine.identity.partitionCount), logger);
  } finally {
    await admin.disconnect();
  }

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
  });
  try {
    const consumer = await startCommandConsumer({
      client,
      commands: deps.commands ?? createBatchCommands({ engine, orders: defaultOrders(engine) }),
      topics: kafka.topics,
      groupId: kafka.consumerGroup,
      logger,
      metrics: createConsumerMetrics(metrics),
      settings: kafka.commandConsumer,
      retry: kafka.client.retry,
    });
    return [relay, consumer];
  } catch (error) {
    await relay.stop();
    throw error;
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
