import { describe, expect, it } from 'vitest';
import { execute } from '../../src/actors/execute.ts';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import { BatchDecoder, BatchEncoder } from '../../src/worker-protocol/batch-codec.ts';
import { restoreEchoedFields } from '../../src/worker-protocol/lean-results.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

const requests: EngineRequest[] = [
  { type: 'ReceiveStock', sku: 'A', warehouseId: 'W1', quantity: 5 },
  {
    type: 'Reserve',
    sku: 'A',
    warehouseId: 'W1',
    idempotencyKey: 'k-1',
    quantity: 2,
    ttlSeconds: 60,
  },
  // An idempotent repeat answers the original hold, a refusal carries no view.
  {
    type: 'Reserve',
    sku: 'A',
    warehouseId: 'W1',
    idempotencyKey: 'k-1',
    quantity: 2,
    ttlSeconds: 60,
  },
  {
    type: 'Reserve',
    sku: 'A',
    warehouseId: 'W1',
    idempotencyKey: 'k-2',
    quantity: 9,
    ttlSeconds: 60,
  },
  {
    type: 'Reserve',
    sku: 'B',
    warehouseId: 'W1',
    idempotencyKey: 'k-3',
    quantity: 1,
    ttlSeconds: 60,
  },
];

function answersOf(views: 'full' | 'lean'): EngineResult[] {
  const actor = new PartitionActor(0);
  return requests.map((request) => execute(actor, request, 1_000, () => {}, views));
}

describe('lean Reserve answers on the batch channel', () => {
  it('leave out what the request said, and are whole again once restored at the other end', () => {
    const lean = answersOf('lean');
    const held = lean[1]!;
    expect(held.ok && held.reservation).not.toHaveProperty('sku');
    expect(held.ok && held.reservation).not.toHaveProperty('idempotencyKey');

    const decoder = new BatchDecoder();
    const [answer] = decoder.decodeAnswers(
      new BatchEncoder().encodeAnswers([{ batchId: 1, results: lean }]),
    );
    if (answer === undefined || !('results' in answer)) throw new Error('an answer with results');
    const results = answer.results;
    restoreEchoedFields(requests, results);
    expect(results).toEqual(answersOf('full'));
  });

  it('are read whole by an end that still holds the requests, with nothing left to restore', () => {
    const [answer] = new BatchDecoder().decodeAnswers(
      new BatchEncoder().encodeAnswers([{ batchId: 7, results: answersOf('lean') }]),
      (batchId) => (batchId === 7 ? requests : undefined),
    );
    if (answer === undefined || !('results' in answer)) throw new Error('an answer with results');
    expect(answer.results).toStrictEqual(answersOf('full'));
    const restored = structuredClone(answer.results);
    restoreEchoedFields(requests, restored);
    expect(restored).toStrictEqual(answer.results);
  });
});
