/**
 * bench/engine — throughput, memory and recovery of the engine through `submit()`, durable
 * (every decision fsynced before its reply), each figure next to a baseline taken in the same run:
 *   - throughput vs. one piscina task per command (no batching) and vs. the same load without fsync
 *   - memory per item from the worker's heap with 1,000,000 items, and per hold
 *   - recovery of 1,000,000 items from snapshots plus a 100,000-event tail
 *
 *   npm run bench:engine [-- --seconds 5 --warmup-seconds 2 --items 1000000]
 * (the npm script runs node with --expose-gc so heap figures are taken after a collection)
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import { type Engine, startEngine } from '../src/engine/engine.ts';
import { engineOptions } from '../src/engine/engine-options.ts';
import type { EngineRequest } from '../src/worker-protocol/requests.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { closedLoop } from './support/closed-loop.ts';
import { heading, machine, megabytes, perSecond, ratio, row } from './support/report.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    /** Unmeasured load before each measured one: the engine past its first compilations. */
    'warmup-seconds': { type: 'string', default: '2' },
    items: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '20000' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const warmupMs = Number(values['warmup-seconds']) * 1000;
const memoryItems = Number(values.items);
const concurrency = Number(values.concurrency);
const uniformItems = 100_000;
const workerCounts = [...new Set([1, Math.max(2, availableParallelism())])];

async function withEngine<T>(
  workerCount: number,
  noSync: boolean,
  use: (engine: Engine, dataDir: string) => Promise<T>,
): Promise<T> {
  const dir = tempDir('bench');
  const engine = await startEngine(
    engineOptions({ dataDir: dir.path, workerCount, noSync, queuedRequestsMax: 100_000 }),
  );
  try {
    return await use(engine, dir.path);
  } finally {
    await engine.close({ checkpoint: false });
    dir.remove();
  }
}

async function receive(engine: Engine, count: number, quantity: number): Promise<void> {
  for (let start = 0; start < count; start += 50_000) {
    const batch: EngineRequest[] = [];
    for (let i = start; i < Math.min(count, start + 50_000); i++) {
      batch.push({ type: 'ReceiveStock', sku: `SKU-${i}`, warehouseId: 'WH-1', quantity });
    }
    const results = await engine.submitMany(batch, { whenFull: 'wait' });
    if (!results.every((r) => r.ok)) throw new Error('receipt refused');
  }
}

function reserve(itemCount: number) {
  return (n: number): EngineRequest => ({
    type: 'Reserve',
    sku: `SKU-${itemCount === 1 ? 0 : (n * 7919) % itemCount}`,
    warehouseId: 'WH-1',
    idempotencyKey: `order-${n}`,
    quantity: 1,
    ttlSeconds: 3600,
  });
}

async function reserveThroughput(engine: Engine, itemCount: number): Promise<number> {
  await receive(engine, itemCount, 1_000_000_000);
  const request = reserve(itemCount);
  let refused = 0;
  let first = 0;
  const load = (ms: number) =>
    closedLoop(concurrency, ms, async (n) => {
      const result = await engine.submit(request(first + n));
      if (!result.ok || !result.applied) refused++;
    });
  // Its holds stay: the measured load starts on a worker that already keeps some.
  first += (await load(warmupMs)).completed;
  const { perSecond: rate } = await load(durationMs);
  if (refused > 0) throw new Error(`${refused} reserves were not applied`);
  return rate;
}

/** The naive design: one piscina task per command, decided and answered alone. */
async function oneTaskPerCommand(): Promise<number> {
  const pool = new Piscina({
    filename: new URL('./support/echo-worker.ts', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
    atomics: 'disabled',
  });
  const request = reserve(uniformItems);
  const { perSecond: rate } = await closedLoop(256, durationMs, (n) => pool.run(request(n)));
  await pool.destroy();
  return rate;
}

async function throughput(): Promise<void> {
  heading(
    `reserves/s through submit(), ${concurrency} concurrent callers, ${values.seconds} s each after ${values['warmup-seconds']} s of warm-up`,
  );
  const naive = await oneTaskPerCommand();
  row('baseline: one piscina task per command (no engine work)', perSecond(naive));
  for (const workers of workerCounts) {
    for (const [label, items] of [
      [`${uniformItems.toLocaleString('en-US')} items uniform`, uniformItems],
      ['one hot item', 1],
    ] as const) {
      const durable = await withEngine(workers, false, (engine) =>
        reserveThroughput(engine, items),
      );
      const unsynced = await withEngine(workers, true, (engine) =>
        reserveThroughput(engine, items),
      );
      row(`${workers} worker(s), ${label}, durable`, perSecond(durable));
      row(`${workers} worker(s), ${label}, without fsync`, perSecond(unsynced));
      row('  durable vs without fsync', ratio(durable / unsynced));
      row('  durable vs one task per command', ratio(durable / naive));
    }
  }
}

async function memoryAndRecovery(): Promise<void> {
  heading(`memory with ${memoryItems.toLocaleString('en-US')} items, then recovery`);
  const dir = tempDir('bench-recovery');
  try {
    let engine = await startEngine(engineOptions({ dataDir: dir.path, workerCount: 1 }));
    const memory = async () => {
      const worker = (await engine.stats({ collectGarbage: true })).workers[0]!;
      return { heap: worker.heapUsedBytes, external: worker.externalBytes };
    };
    const empty = await memory();
    await receive(engine, memoryItems, 1_000);
    const loaded = await memory();
    const perItem = (bytes: number) => `${(bytes / memoryItems).toFixed(0)} bytes`;
    row('worker heap, empty', megabytes(empty.heap));
    row(`worker heap, ${memoryItems.toLocaleString('en-US')} items`, megabytes(loaded.heap));
    row('heap per item', perItem(loaded.heap - empty.heap));
    // Typed arrays' backing stores (item rows, index tables) live outside the V8 heap.
    row('outside the heap per item (typed arrays)', perItem(loaded.external - empty.external));
    row(
      'worker memory per item, both',
      perItem(loaded.heap + loaded.external - empty.heap - empty.external),
    );
    row('process resident set size', megabytes(process.memoryUsage().rss));

    const snapshotStartedAt = performance.now();
    await engine.checkpoint();
    row('snapshot of every partition', `${(performance.now() - snapshotStartedAt).toFixed(0)} ms`);
    // The tail: holds with UUID idempotency keys, as clients send them; what each one keeps.
    const tail = 100_000;
    const request = reserve(memoryItems);
    const requests = Array.from({ length: tail }, (_, n) => ({
      ...request(n),
      idempotencyKey: randomUUID(),
    }));
    await engine.submitMany(requests, { whenFull: 'wait' });
    const held = await memory();
    const perHold = (bytes: number) => `${(bytes / tail).toFixed(0)} bytes`;
    row(
      `heap per hold (${tail.toLocaleString('en-US')} held, UUID keys)`,
      perHold(held.heap - loaded.heap),
    );
    await engine.close({ checkpoint: false });

    for (const workers of workerCounts) {
      const startedAt = performance.now();
      engine = await startEngine(engineOptions({ dataDir: dir.path, workerCount: workers }));
      const elapsed = performance.now() - startedAt;
      const stats = await engine.stats();
      const replayed = stats.workers.reduce((sum, w) => sum + w.recovery.replayedEvents, 0);
      row(
        `recovery with ${workers} worker(s): snapshot + ${replayed.toLocaleString('en-US')} events`,
        `${(elapsed / 1000).toFixed(2)} s`,
      );
      await engine.close({ checkpoint: false });
    }
  } finally {
    dir.remove();
  }
}

machine();
await throughput();
await memoryAndRecovery();
