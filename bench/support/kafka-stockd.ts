import type { KafkaConfig } from '../../src/config/config.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import type { PartThread } from './cpu-window.ts';
import { type EngineCounters, readEngineCounters } from './engine-counters.ts';
import { startServerProcess } from './server-process.ts';
import { type ThreadCpu, threadsOf } from './thread-cpu.ts';

export interface KafkaStockdSettings {
  readonly brokers: readonly string[];
  readonly topics: KafkaConfig['topics'];
  readonly groupId: string;
  readonly partitionCount: number;
  readonly workerCount: number;
  readonly itemCount: number;
  readonly stockQuantity: number;
  /** Extra environment (STOCKD_CONSUMER_* tunables, say). */
  readonly env?: Record<string, string>;
  /** Writes V8 CPU profiles of every thread here when the process exits. */
  readonly cpuProfileDir?: string;
}

export interface KafkaStockd {
  readonly url: string;
  threads(): PartThread[];
  engineCounters(): Promise<EngineCounters>;
  stop(): Promise<void>;
}

/**
 * stockd as `npm start` runs it with Kafka on: its own process (so the load generator never
 * shares its event loop), a fresh data directory, every item stocked over HTTP, and resolved
 * once its command consumer has joined the group.
 */
export async function startKafkaStockd(settings: KafkaStockdSettings): Promise<KafkaStockd> {
  const dir = tempDir('bench-kafka');
  const server = await startServerProcess(
    new URL('../../src/main.ts', import.meta.url).pathname,
    ['serve'],
    {
      PORT: '0',
      STOCKD_DATA_DIR: dir.path,
      // `listening` (with the URL) is logged at info.
      STOCKD_LOG_LEVEL: 'info',
      STOCKD_PARTITIONS: `${settings.partitionCount}`,
      STOCKD_WORKERS: `${settings.workerCount}`,
      KAFKA_BROKERS: settings.brokers.join(','),
      STOCKD_KAFKA_CLIENT_ID: settings.groupId,
      STOCKD_KAFKA_GROUP: settings.groupId,
      STOCKD_TOPIC_COMMANDS: settings.topics.commands,
      STOCKD_TOPIC_RESULTS: settings.topics.results,
      STOCKD_TOPIC_DLQ: settings.topics.deadLetters,
      STOCKD_TOPIC_EVENTS: settings.topics.events,
      DATABASE_URL: '',
      ...(settings.cpuProfileDir !== undefined && {
        NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${settings.cpuProfileDir}`,
      }),
      ...settings.env,
    },
  );
  try {
    await receive(server.url, settings.itemCount, settings.stockQuantity);
    await consumerRunning(server.url);
  } catch (error) {
    await server.stop();
    dir.remove();
    throw error;
  }
  return {
    url: server.url,
    threads: () => threadsOf(server.pid).map((thread) => partOf(server.pid, thread)),
    engineCounters: () => readEngineCounters(server.url),
    stop: async () => {
      await server.stop();
      dir.remove();
    },
  };
}

/**
 * stockd's threads by the names Node and libuv give them: the main thread (HTTP, engine
 * client), the command ingress's thread (Kafka consumer and results producer), piscina's worker
 * threads (actors), libuv's pool (LMDB writes and fsync), V8's platform threads.
 */
const partsByThreadName: Readonly<Record<string, string>> = {
  'stockd-kafka-in': 'Kafka command ingress thread',
  WorkerThread: 'worker threads',
  'libuv-worker': 'libuv threads (LMDB write, fsync)',
  V8Worker: 'V8 threads (GC, compiler)',
  DelayedTaskSche: 'V8 threads (GC, compiler)',
};

function partOf(pid: number, thread: ThreadCpu): PartThread {
  const part =
    thread.tid === pid ? 'main thread' : (partsByThreadName[thread.name] ?? 'other threads');
  return { ...thread, part, counted: true };
}

async function receive(url: string, itemCount: number, quantity: number): Promise<void> {
  for (let start = 0; start < itemCount; start += 10_000) {
    const items = Array.from({ length: Math.min(10_000, itemCount - start) }, (_, i) => ({
      sku: `SKU-${start + i}`,
      warehouseId: 'WH-1',
      quantity,
    }));
    const response = await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (response.status !== 200) throw new Error(`receipts failed: ${response.status}`);
  }
}

/** Polls /readyz until the command consumer has joined its group (at most a minute). */
async function consumerRunning(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${url}/readyz`)).json()) as {
      components: Record<string, { state: string }>;
    };
    if (body.components.commandConsumer?.state === 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the command consumer did not join its group within a minute');
}
