/**
 * bench/bulk — holds in bulk over HTTP: POST /inventory/reserve/bulk with `--bulk` holds per
 * request (W1's SKUs, each hold its own key), against each server in its own process with the
 * same fastify routes and schemas as bench/http — the bare routes (the HTTP ceiling), stockd
 * (every reply after fsync) and Redis + Lua (AOF fsync every second; each hold one EVALSHA, those
 * of one request written in one pipeline) — next to stockd's single-hold route in the same run.
 * Prints holds/s, per-request p50/p99 and CPU µs per hold for each, and the ratios.
 *
 *   npm run bench:bulk [-- --bulk 100 --seconds 10 --connections 16 --single-connections 64
 *                          --items 100000]
 */
import { parseArgs } from 'node:util';
import { cpuPerRequest } from './support/cpu-window.ts';
import { heading, machineDescription, perSecond, ratio, row } from './support/report.ts';
import { bulkReserveLoad, reserveLoad } from './support/reserve-load.ts';
import type { Subject, SubjectSettings } from './support/subject.ts';
import { startBare } from './support/subject-bare.ts';
import { startRedisBaseline } from './support/subject-redis.ts';
import { startStockd } from './support/subject-stockd.ts';
import { workloadsFor } from './support/workloads.ts';

const { values } = parseArgs({
  options: {
    bulk: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    /** The single route is loaded as bench/http loads it. */
    'single-connections': { type: 'string', default: '64' },
    items: { type: 'string', default: '100000' },
    'warmup-seconds': { type: 'string', default: '2' },
  },
});

function count(flag: keyof typeof values, minimum = 1): number {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${flag} must be an integer ≥ ${minimum}, not ${values[flag]}`);
  }
  return value;
}

const bulkSize = count('bulk');
const load = { seconds: count('seconds'), connections: count('connections') };
const singleLoad = { ...load, connections: count('single-connections') };
const warmup = { ...load, seconds: count('warmup-seconds', 0) };
const settings: SubjectSettings = {
  itemCount: count('items'),
  stockQuantity: 1_000_000_000,
  postgresAdminUrl: '',
  postgresPoolSize: 1,
};
const [uniform] = workloadsFor(settings.itemCount);
const skuOf = uniform!.skuOf;

interface Figures {
  readonly holdsPerSecond: number;
  readonly microsecondsPerHold: number;
  readonly line: string;
}

/** One load against a started server; CPU over the load window, per hold. */
async function measure(subject: Subject, bulk: boolean, key: string): Promise<Figures> {
  const before = await subject.threads();
  const { holds, refused, result } = bulk
    ? await bulkReserveLoad(subject.url, load, key, skuOf, bulkSize).then((result) => ({
        holds: result.heldEntries,
        refused: result.refusedEntries,
        result,
      }))
    : await reserveLoad(subject.url, singleLoad, key, skuOf).then((result) => ({
        holds: result.statuses['201'] ?? 0,
        refused: result.completedRequests - (result.statuses['201'] ?? 0),
        result,
      }));
  const after = await subject.threads();
  if (holds === 0 || refused > 0 || result.errors > 0) {
    throw new Error(
      `${subject.name}: ${refused} holds refused, ${result.errors} request errors (${JSON.stringify(result.statuses)})`,
    );
  }
  const cpu = cpuPerRequest(before, after, holds);
  const parts = cpu.parts
    .filter((part) => part.counted && part.microsecondsPerRequest >= 0.05)
    .map((part) => `${part.part} ${part.microsecondsPerRequest.toFixed(1)}`)
    .join(', ');
  const holdsPerSecond = holds / load.seconds;
  return {
    holdsPerSecond,
    microsecondsPerHold: cpu.microsecondsPerRequest,
    line:
      `${perSecond(holdsPerSecond)} holds, p50 / p99 ${result.p50Ms} / ${result.p99Ms} ms per ` +
      `request, ${cpu.microsecondsPerRequest.toFixed(1)} µs CPU per hold (${parts})`,
  };
}

async function run(
  start: () => Promise<Subject>,
  measurements: readonly { label: string; bulk: boolean }[],
): Promise<Figures[]> {
  const subject = await start();
  heading(subject.label);
  try {
    if (warmup.seconds > 0) {
      await bulkReserveLoad(subject.url, warmup, `warm-${subject.name}`, skuOf, bulkSize);
    }
    const figures: Figures[] = [];
    for (const { label, bulk } of measurements) {
      const key = `${process.pid}-${subject.name}-${bulk ? 'bulk' : 'single'}`;
      const result = await measure(subject, bulk, key);
      row(label, result.line);
      figures.push(result);
    }
    return figures;
  } finally {
    await subject.stop();
  }
}

console.log(machineDescription());
heading(
  `holds over HTTP, W1 (${settings.itemCount.toLocaleString('en-US')} SKUs uniform), ${load.connections} connections, ${load.seconds} s each; bulk: ${bulkSize} holds per request`,
);
const bulk = { label: `bulk, ${bulkSize} per request`, bulk: true };
const [bare] = await run(() => startBare(), [bulk]);
const [stockdBulk, stockdSingle] = await run(
  () => startStockd(settings),
  [bulk, { label: `single route, ${singleLoad.connections} connections`, bulk: false }],
);
const [redis] = await run(() => startRedisBaseline(settings), [bulk]);

heading('ratios (holds/s)');
row(
  'stockd bulk ÷ stockd single',
  ratio(stockdBulk!.holdsPerSecond / stockdSingle!.holdsPerSecond),
);
row('stockd bulk ÷ bare bulk', ratio(stockdBulk!.holdsPerSecond / bare!.holdsPerSecond));
row('stockd bulk ÷ Redis + Lua bulk', ratio(stockdBulk!.holdsPerSecond / redis!.holdsPerSecond));
row(
  'CPU per hold: stockd bulk ÷ stockd single',
  ratio(stockdBulk!.microsecondsPerHold / stockdSingle!.microsecondsPerHold),
);
