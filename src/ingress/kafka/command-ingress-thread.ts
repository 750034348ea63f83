import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { OrderRequestRunner } from '../../app/batch-commands.ts';
import type { KafkaConfig } from '../../config/schema.ts';
import { type EngineLink, linkTransferList } from '../../engine/engine-link.ts';
import type { LifecycleStatus } from '../../lifecycle/lifecycle.ts';
import type { BodySettings } from '../../requests/bodies.ts';
import type { CommandConsumer } from './command-consumer.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { packResults, unpackOrderRequests } from './ingress-thread-codec.ts';
import type { IngressThreadData, ToMain, ToThread } from './ingress-thread-messages.ts';

export interface CommandIngressThreadDependencies {
  /** The thread's own channels to the engine's workers (Engine.link). */
  readonly engine: EngineLink;
  /** Runs on this thread: the order requests of the command topic, as their sagas. */
  readonly runOrderRequests: OrderRequestRunner;
  readonly kafka: KafkaConfig;
  /** What the command messages' schemas depend on (the consumer's own). */
  readonly requests: BodySettings;
  readonly partitionCount: number;
  readonly logger: Logger;
  /** The registry's side, updated from what the thread posts. */
  readonly metrics: ConsumerMetrics;
}

/** The thread's name, as /proc and profilers show it. */
export const ingressThreadName = 'stockd-kafka-in';

/**
 * The command consumer (command-consumer.ts) on a thread of its own: kafkajs's fetch decoding,
 * result encoding and produce requests are most of the command path's CPU, and on the main
 * thread they would compete with HTTP. Item commands go from the thread straight to the
 * workers over channels of its own (engine-link.ts); only order requests, whose sagas the
 * main thread's order coordinator runs, cross to the main thread:
 *
 *   ingress thread                                           workers
 *   fetch ─► decode ─► item commands ─── batches ──────────► decide, commit (durable)
 *                  └─► order requests ─► orders{requests} ─► main thread: sagas ─► workers
 *   produce results ◄─ answers ◄─────────── results{results} ◄┘
 *   ─► commit offsets
 *
 * so the order "durable, then results acknowledged, then offsets committed" is the
 * consumer's own, unchanged. Its status and metrics are mirrored here.
 */
export function startCommandIngressThread(deps: CommandIngressThreadDependencies): CommandConsumer {
  const logger = deps.logger.child({ component: 'kafka-command-consumer' });
  const workerData: IngressThreadData = {
    kafka: deps.kafka,
    requests: deps.requests,
    partitionCount: deps.partitionCount,
    logLevel: deps.logger.level,
    logBindings: deps.logger.bindings(),
    engine: deps.engine,
  };
  const worker = new Worker(new URL('./ingress-thread.ts', import.meta.url), {
    name: ingressThreadName,
    workerData,
    transferList: linkTransferList(deps.engine) as never,
  });
  const post = (message: ToThread) => worker.postMessage(message);
  let status: LifecycleStatus = { state: 'starting', sinceMs: Date.now() };
  const running = Promise.withResolvers<void>();
  running.promise.catch(() => {}); // observed by whoever awaits it
  const stopped = Promise.withResolvers<void>();
  let exited = false;

  const runOrders = (message: Extract<ToMain, { kind: 'orders' }>) => {
    deps.runOrderRequests(unpackOrderRequests(message.requests)).then(
      (results) => post({ kind: 'results', callId: message.callId, results: packResults(results) }),
      (error: unknown) => post({ kind: 'failure', callId: message.callId, message: String(error) }),
    );
  };
  const mirror = (next: LifecycleStatus) => {
    status = next;
    if (next.state === 'running') running.resolve();
    if (next.state === 'failed')
      running.reject(new Error(next.reason ?? 'the command consumer failed'));
    if (next.state === 'stopped')
      running.reject(new Error('the command consumer was stopped before it started'));
  };

  worker.on('message', (message: ToMain) => {
    switch (message.kind) {
      case 'orders':
        return runOrders(message);
      case 'status':
        return mirror(message.status);
      case 'counts':
        return deps.metrics.count(message.outcomes, message.deadLetters);
      case 'lag':
        return deps.metrics.setLag(message.partition, message.lagMessages);
      case 'partitions':
        return deps.metrics.keepPartitions(message.partitions);
      case 'stopped':
        return stopped.resolve();
    }
  });
  worker.on('error', (error) => {
    // A bug in the thread: nothing it left uncommitted is lost (it is redelivered), but the
    // command path is down until an operator looks.
    logger.error({ err: error }, 'the command ingress thread failed');
    mirror({ state: 'failed', sinceMs: Date.now(), reason: String(error) });
  });
  worker.on('exit', () => {
    exited = true;
    stopped.resolve();
  });

  let stopping: Promise<void> | undefined;
  return {
    name: 'commandConsumer',
    status: () => ({ ...status, lagMessages: deps.metrics.lagMessages() }),
    running: running.promise,
    stop() {
      stopping ??= (async () => {
        if (!exited) post({ kind: 'stop' });
        // Engine calls of the batch in hand are still answered meanwhile.
        await stopped.promise;
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
