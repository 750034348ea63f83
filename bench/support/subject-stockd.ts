import { join } from 'node:path';
import { apiKeyHashOf } from '../../src/config/api-key-hash.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import type { PartThread } from './cpu-window.ts';
import { readEngineCounters } from './engine-counters.ts';
import { startServerProcess } from './server-process.ts';
import type { Subject, SubjectSettings } from './subject.ts';
import { type ThreadCpu, threadsOf } from './thread-cpu.ts';

/** Which stockd to start: another checkout's, with settings of its own (bench/compare). */
export interface StockdBuild {
  /** A checkout of stockd (its src/main.ts is started); this one by default. */
  readonly checkout?: string;
  /** STOCKD_* settings (or NODE_OPTIONS) on top of the embedded defaults. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * stockd as `npm start` runs it: a fresh data directory, the embedded defaults, Kafka and
 * PostgreSQL off, every reply sent after its events are fsynced; with `settings.apiKey`, that
 * one key configured (by its hash) and required.
 */
export async function startStockd(
  settings: SubjectSettings,
  build: StockdBuild = {},
): Promise<Subject> {
  const dir = tempDir('bench-http');
  const main =
    build.checkout === undefined
      ? new URL('../../src/main.ts', import.meta.url).pathname
      : join(build.checkout, 'src', 'main.ts');
  const server = await startServerProcess(main, ['serve'], {
    ...build.env,
    PORT: '0',
    STOCKD_DATA_DIR: dir.path,
    STOCKD_LOG_LEVEL: 'info',
    KAFKA_BROKERS: '',
    DATABASE_URL: '',
    STOCKD_API_KEYS:
      settings.apiKey === undefined
        ? ''
        : `bench sha256:${apiKeyHashOf(settings.apiKey)} inventory:reserve,inventory:admin`,
  });
  try {
    await receive(server.url, settings.itemCount, settings.stockQuantity, settings.apiKey);
  } catch (error) {
    await server.stop();
    dir.remove();
    throw error;
  }
  return {
    name: 'stockd',
    label: 'stockd, every reply after fsync',
    url: server.url,
    threads: async () =>
      threadsOf(server.pid)
        .map((thread) => partOf(server.pid, thread))
        .sort((a, b) => partOrder.indexOf(a.part) - partOrder.indexOf(b.part)),
    engineCounters: () => readEngineCounters(server.url),
    stop: async () => {
      await server.stop();
      dir.remove();
    },
  };
}

/**
 * stockd's threads by the names Node and libuv give them: the main thread (HTTP, engine
 * client), piscina's worker threads (actors), libuv's pool (LMDB writes and fsync run there),
 * V8's platform threads (GC, compilers; "DelayedTaskSche" is V8's delayed-task runner).
 */
const partsByThreadName: Readonly<Record<string, string>> = {
  WorkerThread: 'worker threads',
  'libuv-worker': 'libuv threads (LMDB write, fsync)',
  V8Worker: 'V8 threads (GC, compiler)',
  DelayedTaskSche: 'V8 threads (GC, compiler)',
};

const partOrder = [
  'main thread',
  'worker threads',
  'libuv threads (LMDB write, fsync)',
  'V8 threads (GC, compiler)',
  'other threads',
];

function partOf(pid: number, thread: ThreadCpu): PartThread {
  // The main thread's id is the process id, whatever name it carries (MainThread, node).
  const part =
    thread.tid === pid ? 'main thread' : (partsByThreadName[thread.name] ?? 'other threads');
  return { ...thread, part, counted: true };
}

async function receive(
  url: string,
  itemCount: number,
  quantity: number,
  apiKey: string | undefined,
): Promise<void> {
  for (let start = 0; start < itemCount; start += 10_000) {
    const items = Array.from({ length: Math.min(10_000, itemCount - start) }, (_, i) => ({
      sku: `SKU-${start + i}`,
      warehouseId: 'WH-1',
      quantity,
    }));
    const response = await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey !== undefined && { authorization: `Bearer ${apiKey}` }),
      },
      body: JSON.stringify({ items }),
    });
    if (response.status !== 200) throw new Error(`receipts failed: ${response.status}`);
  }
}
