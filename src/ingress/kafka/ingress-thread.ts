/**
 * The command ingress thread's entry (a worker_threads Worker named `stockd-kafka-in`): the
 * command consumer and its results producer, on a kafkajs client of their own, off the main
 * thread where HTTP and the relay run. Item commands go to the workers over the thread's own
 * channels (engine-link.ts); order requests go to the main thread, where their sagas run
 * (ingress-thread-messages.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { createBatchCommands } from '../../app/batch-commands.ts';
import type { OrderRequest } from '../../domain/order-requests.ts';
import { connectEngine } from '../../engine/engine-link.ts';
import { createKafkaClient } from '../../kafka/kafka-client.ts';
import { ensureTopics, topicSpecs } from '../../kafka/topics.ts';
import type { EngineResult } from '../../worker-protocol/results.ts';
import { startCommandConsumer } from './command-consumer.ts';
import { forwardedConsumerMetrics } from './forwarded-metrics.ts';
import { packOrderRequests, unpackResults } from './ingress-thread-codec.ts';
import type { IngressThreadData, ToMain, ToThread } from './ingress-thread-messages.ts';

/** The main thread's call of order requests failed: what its error said. */
export class OrderCallError extends Error {
  override name = 'OrderCallError';
}

const port = parentPort!;
const data = workerData as IngressThreadData;
const post = (message: ToMain) => port.postMessage(message);
const logger = pino({ level: data.logLevel, name: 'stockd' }).child(data.logBindings);
const client = createKafkaClient(data.kafka, logger);
const { topics } = data.kafka;

const calls = new Map<number, PromiseWithResolvers<EngineResult[]>>();
let nextCallId = 1;
const runOrderRequests = (requests: readonly OrderRequest[]) => {
  const callId = nextCallId++;
  const call = Promise.withResolvers<EngineResult[]>();
  calls.set(callId, call);
  post({ kind: 'orders', callId, requests: packOrderRequests(requests) });
  return call.promise;
};
const engine = connectEngine(data.engine);
const commands = createBatchCommands({
  engine,
  runOrderRequests,
  defaultTtlSeconds: data.requests.defaultTtlSeconds,
});

const consumer = startCommandConsumer({
  client,
  commands,
  topics,
  groupId: data.kafka.consumerGroup,
  logger,
  metrics: forwardedConsumerMetrics(post),
  settings: data.kafka.commandConsumer,
  requests: data.requests,
  retry: data.kafka.client.retry,
  onStatusChange: (status) => post({ kind: 'status', status }),
  prepare: async () => {
    const admin = client.admin();
    await admin.connect();
    try {
      const specs = topicSpecs(topics, data.partitionCount).filter((spec) =>
        [topics.commands, topics.results, topics.deadLetters].includes(spec.topic),
      );
      await ensureTopics(admin, specs, logger);
    } finally {
      await admin.disconnect();
    }
  },
});

port.on('message', (message: ToThread) => {
  switch (message.kind) {
    case 'results':
    case 'failure': {
      const call = calls.get(message.callId);
      if (call === undefined) throw new Error(`an answer to unknown order call ${message.callId}`);
      calls.delete(message.callId);
      if (message.kind === 'results') call.resolve(unpackResults(message.results));
      else call.reject(new OrderCallError(message.message));
      return;
    }
    case 'stop':
      void consumer.stop().then(async () => {
        // Nothing in flight is left behind: every batch sent was answered.
        await engine.whenIdle();
        engine.close();
        post({ kind: 'stopped' });
        port.close();
      });
  }
});
