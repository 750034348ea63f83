/**
 * bench/compare — builds of stockd side by side on this machine, in alternating rounds: two
 * checkouts (before and after a change), or one checkout under different settings. On a shared
 * machine one run of each says little — the same build varies by ±25% from one run to the
 * next here — so every variant is started once (fresh data directory, stocked, warmed up) and
 * then measured in turn, round after round, the order reversed every other round so that no
 * variant always runs first. Prints every measurement, then per variant and workload the median,
 * min and max of req/s, CPU µs per request (all threads; main and worker) and p99, and each
 * median against the first variant's. A variant compared with a copy of itself shows the noise.
 *
 *   npm run bench:compare -- --variant before=../stockd-before --variant after=. \
 *     [--variant 'one-batch=.:STOCKD_IN_FLIGHT_BATCHES_MAX=1'] [--rounds 7 --seconds 5
 *      --connections 64 --items 100000]
 *
 * A variant is name=checkout[:NAME=value,…]: a checkout of stockd with its dependencies (its
 * src/main.ts is started), and settings on top of the embedded defaults (STOCKD_*, NODE_OPTIONS).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CpuPerRequest, cpuPerRequest } from './support/cpu-window.ts';
import { heading, machineDescription, ratio, row } from './support/report.ts';
import { type Load, reserveLoad } from './support/reserve-load.ts';
import type { Subject } from './support/subject.ts';
import { type StockdBuild, startStockd } from './support/subject-stockd.ts';
import { type WorkloadName, workloadsFor } from './support/workloads.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    items: { type: 'string', default: '100000' },
    'warmup-seconds': { type: 'string', default: '2' },
  },
});

interface Variant {
  readonly name: string;
  readonly build: StockdBuild;
}

interface Measurement {
  readonly load: Load;
  readonly cpu: CpuPerRequest;
}

function count(flag: 'rounds' | 'seconds' | 'connections' | 'items' | 'warmup-seconds'): number {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < (flag === 'warmup-seconds' ? 0 : 1)) {
    throw new Error(`--${flag} must be a positive integer, not ${values[flag]}`);
  }
  return value;
}

/** name=checkout[:NAME=value,…] */
function variantOf(spec: string): Variant {
  const match = /^([\w.-]+)=([^:]+)(?::(.*))?$/.exec(spec);
  if (match === null) throw new Error(`--variant ${spec}: expected name=checkout[:NAME=value,…]`);
  const [, name, checkout, settings] = match;
  const env: Record<string, string> = {};
  for (const setting of settings === undefined || settings === '' ? [] : settings.split(',')) {
    const at = setting.indexOf('=');
    if (at <= 0) throw new Error(`--variant ${spec}: ${setting} is not NAME=value`);
    env[setting.slice(0, at)] = setting.slice(at + 1);
  }
  return { name: name!, build: { checkout: resolve(checkout!), env } };
}

const variants = values.variant.map(variantOf);
if (variants.length < 2) throw new Error('give at least two --variant (name=checkout[:settings])');
if (new Set(variants.map((v) => v.name)).size !== variants.length) {
  throw new Error('--variant names must differ');
}
const rounds = count('rounds');
const load = { seconds: count('seconds'), connections: count('connections') };
const itemCount = count('items');
const workloads = workloadsFor(itemCount);

async function measure(subject: Subject, skuOf: (n: number) => string, key: string) {
  const before = await subject.threads();
  const result = await reserveLoad(subject.url, load, key, skuOf);
  const after = await subject.threads();
  return { load: result, cpu: cpuPerRequest(before, after, result.completedRequests) };
}

const partOf = (cpu: CpuPerRequest, part: string) =>
  cpu.parts.find((p) => p.part === part)?.microsecondsPerRequest ?? 0;
const line = ({ load: l, cpu }: Measurement) =>
  `${Math.round(l.requestsPerSecond).toLocaleString('en-US')} req/s, ` +
  `${cpu.microsecondsPerRequest.toFixed(1)} µs (main ${partOf(cpu, 'main thread').toFixed(1)}, ` +
  `worker ${partOf(cpu, 'worker threads').toFixed(1)}), p99 ${l.p99Ms} ms`;

console.log(machineDescription());
heading(
  `${variants.length} builds, ${rounds} rounds of W1 and W2, ${load.connections} connections, ${load.seconds} s each`,
);
for (const variant of variants) {
  const settings = Object.entries(variant.build.env ?? {}).map(([k, v]) => `${k}=${v}`);
  row(variant.name, [variant.build.checkout, ...settings].join(' '));
}

const subjects: Subject[] = [];
const measured = new Map<string, Measurement[]>();
try {
  for (const variant of variants) {
    subjects.push(
      await startStockd(
        { itemCount, stockQuantity: 1_000_000_000, postgresAdminUrl: '', postgresPoolSize: 1 },
        variant.build,
      ),
    );
  }
  let keys = 0;
  const warmupSeconds = count('warmup-seconds');
  for (const subject of warmupSeconds > 0 ? subjects : []) {
    for (const workload of workloads) {
      const warmup = { ...load, seconds: warmupSeconds };
      await reserveLoad(subject.url, warmup, `warm-${process.pid}-${keys++}`, workload.skuOf);
    }
  }
  for (let round = 0; round < rounds; round++) {
    heading(`round ${round + 1}`);
    const order = variants.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      for (const workload of workloads) {
        const key = `c-${process.pid}-${keys++}`;
        const measurement = await measure(subjects[i]!, workload.skuOf, key);
        const id = `${variants[i]!.name} ${workload.name}`;
        measured.set(id, [...(measured.get(id) ?? []), measurement]);
        row(id, line(measurement));
      }
    }
  }
} finally {
  await Promise.all(subjects.map((subject) => subject.stop()));
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: readonly number[], digits: number) =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

heading(`medians of ${rounds} rounds (min–max), and against ${variants[0]!.name}`);
for (const workload of workloads.map((w) => w.name as WorkloadName)) {
  const first = measured.get(`${variants[0]!.name} ${workload}`)!;
  const baseRate = median(first.map((m) => m.load.requestsPerSecond));
  const baseCpu = median(first.map((m) => m.cpu.microsecondsPerRequest));
  for (const variant of variants) {
    const runs = measured.get(`${variant.name} ${workload}`)!;
    const rates = runs.map((m) => m.load.requestsPerSecond);
    const cpus = runs.map((m) => m.cpu.microsecondsPerRequest);
    const p99s = runs.map((m) => m.load.p99Ms);
    row(
      `${variant.name} ${workload}`,
      `${Math.round(median(rates)).toLocaleString('en-US')} req/s (${spread(rates, 0)}) ` +
        `${ratio(median(rates) / baseRate)}, ${median(cpus).toFixed(1)} µs/req ` +
        `(${spread(cpus, 1)}) ${ratio(median(cpus) / baseCpu)}, p99 ${median(p99s)} ms`,
    );
  }
}
