import { describe, expect, it } from 'vitest';
import { ResultGroup } from '../../src/engine/result-group.ts';
import { WorkerQueue } from '../../src/engine/worker-queue.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

const request = (n: number): EngineRequest => ({ type: 'GetItem', sku: `S${n}`, warehouseId: 'W' });

/** A worker stand-in that answers when told to, recording the batches it got. */
function manualWorker() {
  const batches: { requests: EngineRequest[]; answer: () => void }[] = [];
  const send = (requests: EngineRequest[]) =>
    new Promise<EngineResult[]>((resolve) => {
      batches.push({
        requests,
        answer: () =>
          resolve(requests.map((r) => ({ ok: true, applied: false, item: r }) as never)),
      });
    });
  return { batches, send };
}

// Answers settle in a microtask and schedule the next flush with setImmediate: two turns.
const tick = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
};

describe('WorkerQueue', () => {
  const limits = {
    batchRequestsMax: 3,
    inFlightBatchesMax: 1,
    queuedRequestsMax: 5,
    overlapRequestsMin: 1,
  };
  /** A queue in front of `worker` whose failures fail the test. */
  const queueOf = (worker: ReturnType<typeof manualWorker>) =>
    new WorkerQueue(limits, worker.send, (e) => {
      throw e;
    });

  it('sends at once when idle and batches while the worker is busy', async () => {
    const worker = manualWorker();
    const queue = queueOf(worker);
    const first = queue.enqueue(request(0), 0)!;
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1]);
    const rest = [1, 2, 3, 4].map((n) => queue.enqueue(request(n), 0)!);
    await tick();
    expect(worker.batches).toHaveLength(1);
    worker.batches[0]!.answer();
    expect(await first).toMatchObject({ item: request(0) });
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1, 3]);
    worker.batches[1]!.answer();
    await tick();
    worker.batches[2]!.answer();
    const results = await Promise.all(rest);
    expect(results.map((r) => (r as { item: unknown }).item)).toEqual([1, 2, 3, 4].map(request));
  });

  it('sends the waiting batch before the answered requests are resolved', async () => {
    const worker = manualWorker();
    const queue = queueOf(worker);
    const first = queue.enqueue(request(0), 0)!;
    await tick();
    void queue.enqueue(request(1), 0);
    await tick();
    expect(worker.batches).toHaveLength(1);
    // What the caller of the answered request sees: the worker already has the next batch.
    const sentWhenAnswered = first.then(() => worker.batches.length);
    worker.batches[0]!.answer();
    expect(await sentWhenAnswered).toBe(2);
  });

  it('sends a second batch beside one in flight only once it is large enough', async () => {
    const worker = manualWorker();
    const queue = new WorkerQueue(
      { batchRequestsMax: 4, inFlightBatchesMax: 3, queuedRequestsMax: 100, overlapRequestsMin: 3 },
      worker.send,
      (e) => {
        throw e;
      },
    );
    void queue.enqueue(request(0), 0);
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1]);
    // Two waiting: too few to leave beside the one in flight.
    for (const n of [1, 2]) void queue.enqueue(request(n), 0);
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1]);
    // The third makes it large enough; a fourth fills it, the fifth starts a batch of one.
    for (const n of [3, 4, 5]) void queue.enqueue(request(n), 0);
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1, 4]);
    expect(queue.depth).toBe(1);
    // Nothing in flight: the small one leaves at once.
    worker.batches[0]!.answer();
    worker.batches[1]!.answer();
    await tick();
    expect(worker.batches.map((b) => b.requests.length)).toEqual([1, 4, 1]);
  });

  it('refuses at once when full, counts the refusal and tells when there is space again', async () => {
    const worker = manualWorker();
    const queue = new WorkerQueue({ ...limits, queuedRequestsMax: 2 }, worker.send, () => {});
    queue.enqueue(request(0), 0);
    queue.enqueue(request(1), 0);
    expect(queue.enqueue(request(2), 0)).toBeUndefined();
    expect(queue.refused).toBe(1);
    let spaced = false;
    void queue.whenSpace().then(() => {
      spaced = true;
    });
    await tick();
    expect(spaced).toBe(true);
    expect(queue.depth).toBe(0);
  });

  it('reports a failed batch and does not answer its requests', async () => {
    const failures: unknown[] = [];
    const queue = new WorkerQueue(
      limits,
      () => Promise.reject(new Error('disk gone')),
      (e) => failures.push(e),
    );
    let answered = false;
    void queue.enqueue(request(0), 0)!.then(() => {
      answered = true;
    });
    await tick();
    await tick();
    expect(failures).toHaveLength(1);
    expect(answered).toBe(false);
  });

  it('puts a group’s results in their slots across batches, beside single requests, and settles it once', async () => {
    const worker = manualWorker();
    const queue = queueOf(worker);
    const group = new ResultGroup(6);
    let settled = false;
    void group.settled.then(() => {
      settled = true;
    });
    // Slots 0 and 5 are answered here (refused before the queue, say), the rest by the worker.
    group.put(0, { ok: false, code: 'VALIDATION' } as EngineResult);
    const single = queue.enqueue(request(10), 0)!;
    for (const slot of [4, 1, 3, 2]) {
      expect(queue.enqueueInto(request(slot), 0, group, slot)).toBe(true);
    }
    // Full (5 queued, limit 5): refused, nothing put.
    expect(queue.enqueueInto(request(99), 0, group, 5)).toBe(false);
    expect(queue.refused).toBe(1);
    group.put(5, { ok: false, code: 'OVERLOADED' } as EngineResult);
    await tick();
    // Batches of 3: [10, 4, 1] then [3, 2].
    expect(worker.batches.map((b) => b.requests.length)).toEqual([3]);
    worker.batches[0]!.answer();
    await tick();
    expect(settled).toBe(false);
    worker.batches[1]!.answer();
    const results = await group.settled;
    expect(settled).toBe(true);
    expect(results.map((r) => (r as { item?: EngineRequest }).item ?? r.ok)).toEqual([
      false,
      request(1),
      request(2),
      request(3),
      request(4),
      false,
    ]);
    expect(await single).toMatchObject({ item: request(10) });
  });

  it('settles an empty group at once', async () => {
    expect(await new ResultGroup(0).settled).toEqual([]);
  });
});
