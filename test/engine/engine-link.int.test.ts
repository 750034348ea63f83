import { afterEach, describe, expect, it } from 'vitest';
import { WorkerBatchError } from '../../src/engine/batch-port.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { commitFailureOf, connectEngine, type LinkNotice } from '../../src/engine/engine-link.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startTwoWorkers(onFatal: (error: unknown) => void = () => {}): Promise<Engine> {
  const dir = tempDir('engine-link');
  cleanups.push(dir.remove);
  const engine = await startEngine(
    engineOptions({ dataDir: dir.path, workerCount: 2, partitionCount: 8, onFatal }),
  );
  cleanups.push(() => engine.close());
  return engine;
}

const skus = Array.from({ length: 16 }, (_, n) => `SKU-${n}`);

describe('a linked engine client (another thread’s way to the workers)', () => {
  it('is decided on the same state as the main thread’s requests, in its own order', async () => {
    const engine = await startTwoWorkers();
    const linked = connectEngine(engine.link());
    cleanups.push(() => linked.close());
    await engine.submitMany(
      skus.map((sku) => ({ type: 'ReceiveStock', sku, warehouseId: 'WH', quantity: 3 })),
    );
    // Three holds per item through the link: the last two of each find no stock left.
    const holds = skus.flatMap((sku) =>
      [2, 1, 1].map((quantity, n) => ({
        type: 'Reserve' as const,
        sku,
        warehouseId: 'WH',
        idempotencyKey: `order-${sku}-${n}`,
        quantity,
        ttlSeconds: 60,
      })),
    );
    const results = await linked.submitMany(holds, { whenFull: 'wait' });
    const codes = results.map((result) => (result.ok ? 'held' : result.code));
    expect(codes).toEqual(skus.flatMap(() => ['held', 'held', 'INSUFFICIENT_STOCK']));
    // The main thread sees what the link decided.
    const levels = await engine.submitMany(
      skus.map((sku) => ({ type: 'GetItem', sku, warehouseId: 'WH' })),
    );
    for (const result of levels) {
      expect(result).toMatchObject({ ok: true, item: { totalQty: 3, reservedQty: 3 } });
    }
    expect(
      await linked.submit({ type: 'GetItem', sku: 'bad|sku', warehouseId: 'WH' }),
    ).toMatchObject({ ok: false, code: 'VALIDATION' });
  });

  it('tells the main thread of a worker failure, which stops the engine', async () => {
    const fatal: unknown[] = [];
    const engine = await startTwoWorkers((error) => fatal.push(error));
    const link = engine.link();
    cleanups.push(() => link.control.close());
    link.control.postMessage({ kind: 'failed', message: 'Error: boom' } satisfies LinkNotice);
    await expect.poll(() => fatal.length).toBe(1);
    expect(fatal[0]).toBeInstanceOf(WorkerBatchError);
    expect(engine.state).toBe('failed');
  });
});

describe('commitFailureOf', () => {
  it('names the reason of a batch refused for a failed commit, nothing else', () => {
    const refused: EngineResult = { ok: false, code: 'STORAGE_FULL', message: 'ENOSPC' };
    expect(commitFailureOf([refused, refused])).toBe('ENOSPC');
    expect(commitFailureOf([{ ok: false, code: 'STORAGE_FULL' }])).toBeUndefined();
    expect(commitFailureOf([{ ok: false, code: 'OVERLOADED' }])).toBeUndefined();
    expect(commitFailureOf([{ ok: true, applied: true }])).toBeUndefined();
    expect(commitFailureOf([])).toBeUndefined();
  });
});
