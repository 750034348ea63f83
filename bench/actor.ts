/**
 * bench/actor — the CPU of deciding a reserve in a worker's partition actors, without threads,
 * fsync or I/O: requests decoded from a batch as the batch channel carries them, executed against
 * their partitions, their answers encoded for the channel and decoded at the other end. What the
 * worker's indexes (items by sku and warehouseId, idempotency keys, reservations by seq) and the
 * answer codec cost per request, apart from the commit.
 *
 * Baseline in the same run: the same batches answered with whole reservation views instead of
 * the channel's lean ones (worker-protocol/lean-results.ts).
 *
 *   npm run bench:actor [-- --items 100000 --reserves 600000 --rounds 5]
 */
import { parseArgs } from 'node:util';
import { execute } from '../src/actors/execute.ts';
import { PartitionActor } from '../src/actors/partition-actor.ts';
import { engineDefaults } from '../src/config/defaults.ts';
import { partitionOfItem } from '../src/partitioner/partition-of.ts';
import { BatchDecoder, BatchEncoder } from '../src/worker-protocol/batch-codec.ts';
import { type ResultViews, restoreEchoedFields } from '../src/worker-protocol/lean-results.ts';
import type { EngineRequest } from '../src/worker-protocol/requests.ts';
import type { EngineResult } from '../src/worker-protocol/results.ts';
import { heading, machine, ratio, row } from './support/report.ts';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    reserves: { type: 'string', default: '600000' },
    rounds: { type: 'string', default: '5' },
  },
});
const itemCount = Number(values.items);
const reserveCount = Number(values.reserves);
const rounds = Number(values.rounds);
const batchSize = 1_000;
const partitionCount = engineDefaults.partitionCount;
const sink = () => {};

interface Timing {
  /** Decoding the batch and deciding its requests, per request. */
  readonly decideNs: number;
  /** Encoding the answers (worker) and decoding them with the views restored, per request. */
  readonly answerNs: number;
}

/** One pass over fresh actors: stock every item, then reserve in batches of `batchSize`. */
function pass(skuOf: (n: number) => string, views: ResultViews): Timing {
  const actors = Array.from({ length: partitionCount }, (_, p) => new PartitionActor(p));
  const requests = new BatchEncoder();
  const decoder = new BatchDecoder();
  const answers = new BatchEncoder();
  const answerDecoder = new BatchDecoder();
  for (let i = 0; i < itemCount; i++) {
    const sku = `SKU-${i}`;
    const receipt: EngineRequest = {
      type: 'ReceiveStock',
      sku,
      warehouseId: 'WH-1',
      quantity: 1e9,
    };
    execute(actors[partitionOfItem(sku, 'WH-1', partitionCount)]!, receipt, 1_000, sink);
  }
  const batches: Uint8Array[] = [];
  for (let start = 0; start < reserveCount; start += batchSize) {
    const batch: EngineRequest[] = [];
    const partitions: number[] = [];
    for (let n = start; n < start + batchSize; n++) {
      const sku = skuOf(n);
      batch.push({
        type: 'Reserve',
        sku,
        warehouseId: 'WH-1',
        idempotencyKey: `order-${n}-${views}`,
        quantity: 1,
        ttlSeconds: 3_600,
      });
      partitions.push(partitionOfItem(sku, 'WH-1', partitionCount));
    }
    batches.push(requests.encodeRequests({ batchId: start, requests: batch, partitions }));
  }
  let decideMs = 0;
  let answerMs = 0;
  for (const [b, bytes] of batches.entries()) {
    const startedAt = performance.now();
    const batch = decoder.decodeRequests(bytes);
    const results: EngineResult[] = batch.requests.map((request, i) =>
      execute(actors[batch.partitions[i]!]!, request, 2_000 + b, sink, views),
    );
    const decidedAt = performance.now();
    // As the requesting end decodes them (engine/batch-port.ts): it still holds the requests.
    const [answer] = answerDecoder.decodeAnswers(
      answers.encodeAnswers([{ batchId: batch.batchId, results }]),
      () => batch.requests,
    );
    if (answer === undefined || !('results' in answer)) throw new Error('an answer with results');
    if (views === 'lean') restoreEchoedFields(batch.requests, answer.results);
    answerMs += performance.now() - decidedAt;
    decideMs += decidedAt - startedAt;
  }
  return { decideNs: (decideMs * 1e6) / reserveCount, answerNs: (answerMs * 1e6) / reserveCount };
}

/** The best of `rounds` passes (the least disturbed by the rest of the machine), per part. */
function best(skuOf: (n: number) => string, views: ResultViews): Timing {
  const passes = Array.from({ length: rounds }, () => pass(skuOf, views));
  return {
    decideNs: Math.min(...passes.map((timing) => timing.decideNs)),
    answerNs: Math.min(...passes.map((timing) => timing.answerNs)),
  };
}

const nanoseconds = (value: number) => `${value.toFixed(0)} ns`;

machine();
for (const [label, skuOf] of [
  [
    `${itemCount.toLocaleString('en-US')} items uniform`,
    (n: number) => `SKU-${(n * 7919) % itemCount}`,
  ],
  ['one hot item', () => 'SKU-0'],
] as const) {
  heading(
    `${reserveCount.toLocaleString('en-US')} reserves, ${label}, ${partitionCount} partitions, batches of ${batchSize}; best of ${rounds}`,
  );
  const lean = best(skuOf, 'lean');
  const full = best(skuOf, 'full');
  row('decode the batch and decide, per reserve', nanoseconds(lean.decideNs));
  row('answer: encode (worker) + decode and restore, per reserve', nanoseconds(lean.answerNs));
  row('  baseline: whole views on the channel', nanoseconds(full.answerNs));
  row('  lean vs whole answers', ratio(lean.answerNs / full.answerNs));
}
