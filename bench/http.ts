/**
 * bench/http — reserves over HTTP at 64 connections, in one run, against each server in its own
 * process (the load generator runs here, apart from all of them), with the same fastify route,
 * schemas and load:
 *
 *   bare       the route with no storage: the HTTP ceiling of this machine
 *   stockd     `src/main.ts serve`, fresh data directory, every reply after fsync
 *   redis      redis-server (AOF, fsync every second) + one Lua script per reserve
 *   postgres   the seed's design: INSERT hold + conditional UPDATE, synchronous commit
 *
 * for W1 (uniform over the SKUs) and W2 (one hot SKU). All servers run side by side (an idle one
 * costs nothing) and are measured in turn, round after round, the order reversed every other
 * round: on a shared machine whose speed drifts by ±25% within minutes, one server measured
 * after another compares moments, not servers. Each figure is the round with the median req/s
 * of its server and workload. Prints req/s, p50/p99, statuses, CPU µs
 * per request (stockd's per thread, the baselines' per process), stockd's mean batch and commit
 * time, the ratios stockd / baseline and the throughput goals; writes bench/results/http.json and
 * bench/results/http.svg (then `npm run bench:readme` puts the table in the README).
 *
 *   npm run bench:http [-- --rounds 3 --seconds 5 --connections 64 --items 100000
 *                          --only stockd,redis --warmup-seconds 2 --postgres-pool 16 --api-key]
 *
 * With --api-key, stockd runs with one API key and every request of every server carries it
 * (`Authorization: Bearer …`; the others ignore it): against a run without, the cost of
 * authentication per request. Such a run prints its figures but leaves bench/results alone:
 * the reference results are those of stockd as it starts by default.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { httpBarChart } from './support/bar-chart.ts';
import { cpuPerRequest } from './support/cpu-window.ts';
import { engineWindow } from './support/engine-counters.ts';
import { goalsOf, ratiosOf } from './support/goals.ts';
import { httpMarkdown } from './support/http-markdown.ts';
import { printSummary, printWorkload } from './support/http-report.ts';
import type { HttpResults, SubjectResult, WorkloadResult } from './support/http-results.ts';
import { machineWindow, sampleMachine } from './support/machine-window.ts';
import { heading, machineDescription } from './support/report.ts';
import { reserveLoad } from './support/reserve-load.ts';
import {
  type Subject,
  type SubjectName,
  type SubjectSettings,
  subjectNames,
} from './support/subject.ts';
import { startBare } from './support/subject-bare.ts';
import { startPostgresBaseline } from './support/subject-postgres.ts';
import { startRedisBaseline } from './support/subject-redis.ts';
import { startStockd } from './support/subject-stockd.ts';
import { type Workload, workloadsFor } from './support/workloads.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    items: { type: 'string', default: '100000' },
    only: { type: 'string', default: subjectNames.join(',') },
    'warmup-seconds': { type: 'string', default: '2' },
    'postgres-pool': { type: 'string', default: '16' },
    'api-key': { type: 'boolean', default: false },
  },
});
const load = { seconds: count('seconds'), connections: count('connections') };
const rounds = count('rounds');
const warmupSeconds = count('warmup-seconds', 0);
const only = values.only.split(',').map((name) => name.trim());
for (const name of only) {
  if (!(subjectNames as readonly string[]).includes(name)) {
    throw new Error(`--only: unknown server ${name} (known: ${subjectNames.join(', ')})`);
  }
}
const settings: SubjectSettings = {
  itemCount: count('items'),
  // Far above what a run reserves, so that no reserve is refused for want of stock.
  stockQuantity: 1_000_000_000,
  postgresAdminUrl:
    process.env.STOCKD_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  // 16 of the shared server's 100 connections. Tried here: 32 was no faster on W1 and slower on
  // W2, where every extra backend only waits on the hot row's lock.
  postgresPoolSize: count('postgres-pool'),
  apiKey: values['api-key'] ? `stockd_bench-${randomBytes(32).toString('base64url')}` : undefined,
};

function count(flag: keyof typeof values, minimum = 1): number {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${flag} must be an integer ≥ ${minimum}, not ${values[flag]}`);
  }
  return value;
}

/** The round whose req/s is the median of a server's rounds in one workload (the lower middle). */
function medianRound(results: readonly WorkloadResult[]): WorkloadResult {
  const byRate = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return byRate[Math.floor((byRate.length - 1) / 2)]!;
}

const starters: Record<SubjectName, (settings: SubjectSettings) => Promise<Subject>> = {
  bare: startBare,
  stockd: startStockd,
  redis: startRedisBaseline,
  postgres: startPostgresBaseline,
};

/** One workload against a started server: CPU and counters read just before and after. */
async function measure(
  subject: Subject,
  workload: Workload,
  round: number,
): Promise<WorkloadResult> {
  const countersBefore = await subject.engineCounters?.();
  const threadsBefore = await subject.threads();
  const machineBefore = sampleMachine();
  const startedAt = performance.now();
  const keyPrefix = `o-${process.pid}-${subject.name}-${workload.name}-${round}`;
  const result = await reserveLoad(subject.url, load, keyPrefix, workload.skuOf, settings.apiKey);
  const seconds = (performance.now() - startedAt) / 1000;
  const machineAfter = sampleMachine();
  const threadsAfter = await subject.threads();
  const countersAfter = await subject.engineCounters?.();
  return {
    workload: workload.name,
    workloadLabel: workload.label,
    ...result,
    cpu: cpuPerRequest(threadsBefore, threadsAfter, result.completedRequests),
    machine: machineWindow(machineBefore, machineAfter, result.completedRequests),
    ...(countersBefore &&
      countersAfter && { engine: engineWindow(countersBefore, countersAfter, seconds) }),
  };
}

const machine = machineDescription();
console.log(machine);
heading(
  `POST /inventory/reserve, ${load.connections} connections, ${rounds} rounds of ${load.seconds} s per server and workload`,
);
const names = subjectNames.filter((candidate) => only.includes(candidate));
const started: Subject[] = [];
const measured = new Map<SubjectName, WorkloadResult[][]>();
try {
  for (const name of names) {
    const subject = await starters[name](settings);
    started.push(subject);
    measured.set(name, []);
    // Unmeasured: so that W1 does not pay for JIT compilation and connection set-up that W2 is
    // then spared.
    if (warmupSeconds > 0) {
      const warmup = { ...load, seconds: warmupSeconds };
      const [uniform] = workloadsFor(settings.itemCount);
      await reserveLoad(
        subject.url,
        warmup,
        `warm-${process.pid}-${name}`,
        uniform!.skuOf,
        settings.apiKey,
      );
    }
  }
  for (let round = 1; round <= rounds; round++) {
    heading(`round ${round} of ${rounds}`);
    const order = round % 2 === 1 ? started : [...started].reverse();
    for (const subject of order) {
      const workloads: WorkloadResult[] = [];
      for (const workload of workloadsFor(settings.itemCount)) {
        const result = await measure(subject, workload, round);
        console.log(`${subject.name}:`);
        printWorkload(result);
        workloads.push(result);
      }
      measured.get(subject.name)!.push(workloads);
    }
  }
} finally {
  await Promise.all(started.map((subject) => subject.stop()));
}
const subjects: SubjectResult[] = started.map((subject) => ({
  name: subject.name,
  label: subject.label,
  workloads: workloadsFor(settings.itemCount).map((_, w) =>
    medianRound(measured.get(subject.name)!.map((workloads) => workloads[w]!)),
  ),
}));

const ratios = ratiosOf({ subjects });
const results: HttpResults = {
  takenAt: new Date().toISOString(),
  machine,
  settings: {
    ...load,
    rounds,
    warmupSeconds,
    itemCount: settings.itemCount,
    postgresPoolSize: settings.postgresPoolSize,
  },
  subjects,
  ratios,
  goals: goalsOf({ subjects, ratios }),
};
printSummary(results);
if (settings.apiKey !== undefined) {
  console.log('\n(--api-key: bench/results left as they were)');
  process.exit(0);
}

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('http.json', resultsDir), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(new URL('http.svg', resultsDir), httpBarChart(results));
heading('README table (npm run bench:readme writes it into README.md)');
console.log(httpMarkdown(results));
