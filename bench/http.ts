/**
 * bench/http — reserve throughput and latency over HTTP at 64 connections, durable, for
 *   W1: 100,000 items, uniform    W2: one hot item
 * and, in the same run, the same load against a bare fastify route with the same schema and no
 * engine: the HTTP ceiling of this machine. Prints figures and the ratio stockd / bare.
 *
 *   npm run bench:http [-- --seconds 10 --connections 64]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { tempDir } from '../test/support/temp-dir.ts';
import { heading, machine, perSecond, ratio, row } from './support/report.ts';
import { startServerProcess } from './support/server-process.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    items: { type: 'string', default: '100000' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const itemCount = Number(values.items);

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

async function reserveLoad(
  label: string,
  url: string,
  skuOf: (n: number) => string,
): Promise<Load> {
  let n = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/inventory/reserve',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const k = n++;
          request.body = JSON.stringify({
            idempotencyKey: `o-${process.pid}-${label}-${k}`,
            sku: skuOf(k),
            warehouseId: 'WH-1',
            quantity: 1,
            ttlSeconds: 3600,
          });
          return request;
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
  };
}

async function receive(url: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 10_000) {
    const items = Array.from({ length: Math.min(10_000, count - start) }, (_, i) => ({
      sku: `SKU-${start + i}`,
      warehouseId: 'WH-1',
      quantity: 1_000_000_000,
    }));
    const response = await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (response.status !== 200) throw new Error(`receipts failed: ${response.status}`);
  }
}

function report(label: string, load: Load): void {
  row(`${label}: reserves/s`, perSecond(load.requestsPerSecond));
  row(`${label}: latency p50 / p99`, `${load.p50Ms} ms / ${load.p99Ms} ms`);
  row(`${label}: statuses`, JSON.stringify(load.statuses));
}

machine();
heading(`POST /inventory/reserve, ${connections} connections, ${seconds} s per workload`);

const bare = await startServerProcess(
  new URL('./support/bare-server.ts', import.meta.url).pathname,
  [],
  {},
);
const ceiling = await reserveLoad('bare', bare.url, (n) => `SKU-${(n * 7919) % itemCount}`);
await bare.stop();
report('bare fastify route, same schema, no engine', ceiling);

const dir = tempDir('bench-http');
const stockd = await startServerProcess(
  new URL('../src/main.ts', import.meta.url).pathname,
  ['serve'],
  {
    PORT: '0',
    STOCKD_DATA_DIR: dir.path,
    STOCKD_LOG_LEVEL: 'info',
    KAFKA_BROKERS: '',
    DATABASE_URL: '',
  },
);
try {
  await receive(stockd.url, itemCount);
  const uniform = await reserveLoad('w1', stockd.url, (n) => `SKU-${(n * 7919) % itemCount}`);
  report(`stockd W1 (${itemCount.toLocaleString('en-US')} items uniform, durable)`, uniform);
  row('  W1 vs bare route', ratio(uniform.requestsPerSecond / ceiling.requestsPerSecond));
  const hot = await reserveLoad('w2', stockd.url, () => 'SKU-0');
  report('stockd W2 (one hot item, durable)', hot);
  row('  W2 vs bare route', ratio(hot.requestsPerSecond / ceiling.requestsPerSecond));
} finally {
  await stockd.stop();
  dir.remove();
}
