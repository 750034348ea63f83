/**
 * bench/kafka — commands/s through the command topic, end to end, next to the ceiling of the
 * Kafka pipe itself, measured in the same run on the same broker with the same messages:
 *   1. raw: kafkajs produce → consume of the command messages, no engine (the pipe's ceiling)
 *   2. echo: produce → consume → produce one reply each → consume the replies, no engine: the
 *      ceiling of any request/reply service on this pipe (kafka-echo-service.ts, in its own
 *      process like stockd)
 *   3. stockd: produce → stockd's consumer → engine (durable: fsynced) → results → consume
 *      the results, with the relay publishing the events alongside. stockd runs in its own
 *      process (`src/main.ts serve`), so the load generator here never shares its event loop;
 *      its CPU per command is read per thread from /proc.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run bench:kafka [-- --commands 200000 --partitions 8
 *                                                      --phases stockd --cpu-prof /tmp/prof]
 * stockd takes its STOCKD_* settings from this environment (STOCKD_CONSUMER_THREAD=main, say).
 * Each pipe first carries a warm-up (`--warmup`, 20,000 messages by default: the service and
 * the load generator past their first JIT compilations and heap growth), then the measured
 * messages: throughput = messages / (first measured produce → last message consumed).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, type Message } from 'kafkajs';
// The load generator's clients, like stockd's and the echo service's, without kafkajs's
// millisecond poll of every idle connection (and its TimeoutNegativeWarning).
import '../src/kafka/request-queue-idle-fix.ts';
import { pack } from 'msgpackr';
import { itemKeyOf } from '../src/domain/item-key.ts';
import { type CpuPerRequest, cpuPerRequest } from './support/cpu-window.ts';
import { engineWindow } from './support/engine-counters.ts';
import { countMessages, produceAll } from './support/kafka-load.ts';
import { startKafkaStockd } from './support/kafka-stockd.ts';
import { heading, machine, perSecond, ratio, row } from './support/report.ts';

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '200000' },
    warmup: { type: 'string', default: '20000' },
    partitions: { type: 'string', default: '8' },
    items: { type: 'string', default: '10000' },
    'batch-messages': { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '4' },
    workers: { type: 'string', default: `${Math.max(1, availableParallelism() - 1)}` },
    /** Comma-separated subset of raw,echo,stockd (e.g. to profile one). */
    phases: { type: 'string', default: 'raw,echo,stockd' },
    /** A directory: stockd writes a V8 CPU profile of each of its threads there on exit. */
    'cpu-prof': { type: 'string' },
  },
});
const commandCount = Number(values.commands);
const warmupCount = Number(values.warmup);
const partitionCount = Number(values.partitions);
const itemCount = Number(values.items);
const batchMessages = Number(values['batch-messages']);
const inFlight = Number(values['in-flight']);
const workerCount = Number(values.workers);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const runId = randomUUID().slice(0, 8);
const client = new Kafka({ clientId: 'bench-kafka', brokers, logLevel: logLevel.NOTHING });

/**
 * Reserves of 1 unit over `itemCount` items, MessagePack, keyed by item, each with a commandId:
 * `count` of them, numbered from `first`.
 */
function commandMessages(count: number, first: number): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const sku = `SKU-${(n * 7919) % itemCount}`;
    const command = {
      type: 'Reserve',
      commandId: `${runId}-${n}`,
      sku,
      warehouseId: 'WH-1',
      idempotencyKey: `order-${n}`,
      quantity: 1,
      ttlSeconds: 3_600,
    };
    return { key: itemKeyOf(sku, 'WH-1'), value: pack(command) };
  });
}

async function withTopics<T>(topics: string[], use: () => Promise<T>): Promise<T> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitionCount })),
    });
    return await use();
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
  }
}

interface Load {
  readonly warmup: readonly Message[];
  readonly measured: readonly Message[];
}

type Counter = Awaited<ReturnType<typeof countMessages>>;

/**
 * Produces the warm-up to `topic` and waits until `counter` has seen all of it, then runs
 * `beforeMeasuring` and produces the measured messages: messages/s of the measured ones.
 */
async function carry(
  topic: string,
  counter: Counter,
  load: Load,
  beforeMeasuring: () => unknown = () => {},
): Promise<number> {
  await produceAll(client, topic, load.warmup, batchMessages, inFlight);
  await counter.reached(load.warmup.length);
  await beforeMeasuring();
  const startedAt = performance.now();
  await produceAll(client, topic, load.measured, batchMessages, inFlight);
  const endedAt = await counter.done;
  return load.measured.length / ((endedAt - startedAt) / 1000);
}

const total = (load: Load) => load.warmup.length + load.measured.length;

async function raw(load: Load): Promise<number> {
  const topic = `bench-raw-${runId}`;
  return withTopics([topic], async () => {
    const counter = await countMessages(client, topic, total(load));
    const rate = await carry(topic, counter, load);
    await counter.stop();
    return rate;
  });
}

/** The echo service (kafka-echo-service.ts) in its own process, resolved once it consumes. */
async function startEchoService(requests: string, replies: string): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    [new URL('./support/kafka-echo-service.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        ECHO_BROKERS: brokers.join(','),
        ECHO_REQUESTS: requests,
        ECHO_REPLIES: replies,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the echo service exited with ${code}`)));
  });
  return () =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function echo(load: Load): Promise<number> {
  const requests = `bench-echo-in-${runId}`;
  const replies = `bench-echo-out-${runId}`;
  return withTopics([requests, replies], async () => {
    const stopEcho = await startEchoService(requests, replies);
    try {
      const counter = await countMessages(client, replies, total(load));
      const rate = await carry(requests, counter, load);
      await counter.stop();
      return rate;
    } finally {
      await stopEcho();
    }
  });
}

async function stockd(load: Load): Promise<{ rate: number; cpu: CpuPerRequest }> {
  const topics = {
    commands: `bench-commands-${runId}`,
    results: `bench-results-${runId}`,
    deadLetters: `bench-dlq-${runId}`,
    events: `bench-events-${runId}`,
  };
  const service = await startKafkaStockd({
    brokers,
    topics,
    groupId: `bench-stockd-${runId}`,
    partitionCount,
    workerCount,
    itemCount,
    stockQuantity: 1_000_000,
    ...(values['cpu-prof'] !== undefined && { cpuProfileDir: values['cpu-prof'] }),
  });
  const admin = client.admin();
  try {
    const counter = await countMessages(client, topics.results, total(load));
    let threadsBefore = service.threads();
    let countersBefore = await service.engineCounters();
    const rate = await carry(topics.commands, counter, load, async () => {
      threadsBefore = service.threads();
      countersBefore = await service.engineCounters();
    });
    const threadsAfter = service.threads();
    // The measured messages took measured ÷ rate seconds, first produce to last result.
    const seconds = load.measured.length / rate;
    const window = engineWindow(countersBefore, await service.engineCounters(), seconds);
    await counter.stop();
    row(
      '  stockd engine: mean batch, mean commit',
      `${window.batchRequestsMean.toFixed(0)} commands, ${window.commitMillisecondsMean.toFixed(2)} ms`,
    );
    return {
      rate,
      cpu: cpuPerRequest(threadsBefore, threadsAfter, load.measured.length),
    };
  } finally {
    await service.stop();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
    await admin.disconnect();
  }
}

machine();
heading(
  `${commandCount.toLocaleString('en-US')} reserve commands after ${warmupCount.toLocaleString('en-US')} to warm up (MessagePack) over ${itemCount.toLocaleString('en-US')} items, ${partitionCount} partitions, produced ${batchMessages} per call, ${inFlight} calls in flight; broker ${brokers.join(',')}`,
);
const load: Load = {
  warmup: commandMessages(warmupCount, 0),
  measured: commandMessages(commandCount, warmupCount),
};
const phases = new Set(values.phases.split(','));
const microseconds = (value: number) => `${value.toFixed(1)} µs`;
const rawRate = phases.has('raw') ? await raw(load) : Number.NaN;
row('raw kafkajs produce → consume (no engine)', perSecond(rawRate));
const echoRate = phases.has('echo') ? await echo(load) : Number.NaN;
row('echo: produce → consume → reply → consume (no engine)', perSecond(echoRate));
const stockdRun = phases.has('stockd') ? await stockd(load) : undefined;
const stockdRate = stockdRun?.rate ?? Number.NaN;
row(
  `stockd (own process, consumer on the ${process.env.STOCKD_CONSUMER_THREAD ?? 'own'} thread): commands → engine (durable, ${workerCount} worker(s)) → results`,
  perSecond(stockdRate),
);
row('  stockd vs raw pipe (goal ≥ 0.5)', ratio(stockdRate / rawRate));
row('  stockd vs echo pipe', ratio(stockdRate / echoRate));
if (stockdRun !== undefined) {
  row('  stockd CPU per command, all threads', microseconds(stockdRun.cpu.microsecondsPerRequest));
  for (const part of stockdRun.cpu.parts) {
    row(`    ${part.part}`, microseconds(part.microsecondsPerRequest));
  }
}
