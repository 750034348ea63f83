/**
 * bench/allocation — bytes a worker allocates to decide and apply one command (actors/execute.ts:
 * prefetch, decide, the logged event, the new state, the result), next to what of it stays: the
 * state a partition must keep (the reservation, its index entries). What is allocated and not
 * kept is what the worker's garbage collector sweeps, per command.
 *
 * Measured in one partition actor, 1,000 items, with a young generation large enough that no
 * collection runs inside a measured loop (the script's V8 flags, package.json). Without fsync,
 * threads or I/O: the engine's other allocations (batch decoding, event encoding) are not in it.
 *
 *   npm run bench:allocation [-- --commands 20000]
 */
import { parseArgs } from 'node:util';
import { execute } from '../src/actors/execute.ts';
import { PartitionActor } from '../src/actors/partition-actor.ts';
import type { EngineRequest } from '../src/worker-protocol/requests.ts';
import { heading, machine, row } from './support/report.ts';

const { values } = parseArgs({ options: { commands: { type: 'string', default: '20000' } } });
const count = Number(values.commands);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (npm run bench:allocation)');
const sink = () => {};
const itemCount = 1_000;

function stockedActor(): PartitionActor {
  const actor = new PartitionActor(0);
  for (let i = 0; i < itemCount; i++) {
    const receipt = { type: 'ReceiveStock', sku: `SKU-${i}`, warehouseId: 'WH-1', quantity: 1e9 };
    execute(actor, receipt as EngineRequest, 1_000, sink);
  }
  return actor;
}

const reserveOf = (n: number, withCommandId: boolean): EngineRequest => ({
  type: 'Reserve',
  sku: `SKU-${n % itemCount}`,
  warehouseId: 'WH-1',
  idempotencyKey: `order-${n}`,
  quantity: 1,
  ttlSeconds: 600,
  ...(withCommandId && { commandId: `command-${n}` }),
});

/** Bytes allocated and bytes kept per command, over `count` commands after as many to warm up. */
function measure(commandOf: (n: number) => EngineRequest, actor: PartitionActor) {
  const commands = Array.from({ length: 2 * count }, (_, n) => commandOf(n));
  for (let n = 0; n < count; n++) execute(actor, commands[n]!, 2_000, sink);
  const measured = commands.slice(count);
  commands.length = 0;
  gc!();
  const before = process.memoryUsage().heapUsed;
  for (const command of measured) execute(actor, command, 3_000, sink);
  const allocated = process.memoryUsage().heapUsed - before;
  // The commands stay referenced, as they were before the window: only what execute() made counts.
  gc!();
  const kept = process.memoryUsage().heapUsed - before;
  measured.length = 0;
  return { allocated: allocated / count, kept: Math.max(0, kept) / count };
}

machine();
heading(`bytes per command in a partition actor, ${count.toLocaleString('en-US')} commands`);
for (const [label, withCommandId] of [
  ['Reserve (HTTP: no commandId)', false],
  ['Reserve with a commandId (Kafka)', true],
] as const) {
  const { allocated, kept } = measure((n) => reserveOf(n, withCommandId), stockedActor());
  row(label, `${Math.round(allocated)} allocated, ${Math.round(kept)} kept`);
  row('  garbage per command', `${Math.round(allocated - kept)} bytes`);
}
