/**
 * bench/orders — orders against single-line reserves, in the same run, durable (every step
 * fsynced before the next), through the use-case layer every ingress calls (no HTTP):
 *   - single-line reserves (`reserve`): reserves/s = lines/s
 *   - 3-line orders whose lines span both workers (`placeOrder`): orders/s and lines/s
 * each with p50/p99 latency. An order is three logged steps (OpenOrder; its lines' holds, one
 * batch per worker; MarkOrderHeld), so its latency is about three commits.
 *
 *   npm run bench:orders [-- --seconds 5 --concurrency 256 --workers 2]
 */
import { parseArgs } from 'node:util';
import { createInventory, type Inventory } from '../src/app/inventory.ts';
import { createOrders } from '../src/app/orders/orders.ts';
import { itemKeyOf } from '../src/domain/item-key.ts';
import { type Engine, startEngine } from '../src/engine/engine.ts';
import { engineOptions } from '../src/engine/engine-options.ts';
import { workerOfPartition } from '../src/partitioner/ownership.ts';
import { partitionOf } from '../src/partitioner/partition-of.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { heading, machine, perSecond, ratio, row } from './support/report.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '256' },
    workers: { type: 'string', default: '2' },
    items: { type: 'string', default: '100000' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const concurrency = Number(values.concurrency);
const workerCount = Number(values.workers);
const itemCount = Number(values.items);
const partitionCount = 64;
const linesPerOrder = 3;

interface Run {
  readonly perSecond: number;
  readonly refused: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A closed loop like bench/support/closed-loop.ts, keeping every latency for percentiles. */
async function measure(issue: (n: number) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let refused = 0;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const caller = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      if (!(await issue(next++))) refused++;
      latencies.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { perSecond: latencies.length / seconds, refused, p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function receive(engine: Engine): Promise<void> {
  for (let start = 0; start < itemCount; start += 50_000) {
    const receipts = Array.from({ length: Math.min(50_000, itemCount - start) }, (_, i) => ({
      type: 'ReceiveStock' as const,
      sku: `SKU-${start + i}`,
      warehouseId: 'WH-1',
      quantity: 1_000_000_000,
    }));
    const results = await engine.submitMany(receipts, { whenFull: 'wait' });
    if (!results.every((r) => r.ok)) throw new Error('receipt refused');
  }
}

/** SKUs by the worker that owns them, so that every order's lines land on every worker. */
function skusByWorker(): string[][] {
  const byWorker: string[][] = Array.from({ length: workerCount }, () => []);
  for (let i = 0; i < itemCount; i++) {
    const sku = `SKU-${i}`;
    const partition = partitionOf(itemKeyOf(sku, 'WH-1'), partitionCount);
    byWorker[workerOfPartition(partition, workerCount)]!.push(sku);
  }
  return byWorker;
}

function report(label: string, run: Run, linesPerRequest: number): void {
  row(`${label}: requests`, `${perSecond(run.perSecond)} (${run.refused} refused)`);
  row(`${label}: lines`, perSecond(run.perSecond * linesPerRequest));
  row(`${label}: latency p50 / p99`, `${run.p50Ms.toFixed(2)} ms / ${run.p99Ms.toFixed(2)} ms`);
}

const dir = tempDir('bench-orders');
const engine = await startEngine(
  engineOptions({ dataDir: dir.path, workerCount, partitionCount, queuedRequestsMax: 200_000 }),
);
try {
  const orders = createOrders({
    engine,
    defaultTtlSeconds: 3_600,
    linesMax: 100,
    expiryIntervalMs: 200,
    expiryBatchMax: 10_000,
  });
  const inventory: Inventory = createInventory({ engine, defaultTtlSeconds: 3_600, orders });
  await receive(engine);
  const byWorker = skusByWorker();
  const pick = (n: number, line: number) => {
    const skus = byWorker[line % workerCount]!;
    return skus[(n * 7_919 + line * 104_729) % skus.length]!;
  };

  // Warm up both paths, then measure each on the same engine, one after the other.
  const reserve = (n: number) =>
    inventory
      .reserve({ sku: pick(n, n), warehouseId: 'WH-1', quantity: 1, idempotencyKey: `r-${n}` })
      .then((outcome) => outcome.ok);
  const place = (prefix: string) => (n: number) =>
    inventory
      .placeOrder({
        orderId: `${prefix}-${n}`,
        lines: Array.from({ length: linesPerOrder }, (_, line) => ({
          sku: pick(n, line),
          warehouseId: 'WH-1',
          quantity: 1,
        })),
      })
      .then((outcome) => outcome.ok);
  await measure((n) => reserve(10_000_000 + n));
  await measure(place('warm'));
  const reserves = await measure(reserve);
  const placed = await measure(place('o'));

  machine();
  heading(
    `orders vs single-line reserves — ${workerCount} workers, ${partitionCount} partitions, ${itemCount.toLocaleString('en-US')} items, ${concurrency} callers, ${values.seconds} s each, fsync on`,
  );
  report('single-line reserves', reserves, 1);
  report(`${linesPerOrder}-line orders (lines on every worker)`, placed, linesPerOrder);
  row(
    'order lines/s ÷ reserve lines/s',
    ratio((placed.perSecond * linesPerOrder) / reserves.perSecond),
  );
} finally {
  await engine.close({ checkpoint: false });
  dir.remove();
}
