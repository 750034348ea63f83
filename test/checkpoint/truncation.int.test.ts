import { afterEach, describe, expect, it } from 'vitest';
import { oldestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { writePublishedSeq } from '../../src/checkpoint/published-position.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Receipts of one unit each, in separate requests (so separate log chunks), then a checkpoint. */
async function receiveTimes(app: TestApp, times: number): Promise<void> {
  for (let n = 0; n < times; n++) {
    const response = await app.app.inject({
      method: 'POST',
      url: '/inventory/receipts',
      payload: { sku: 'T', warehouseId: 'W', quantity: 1 },
    });
    expect(response.statusCode).toBe(200);
  }
}

const partitionOfItem = () => partitionOf(itemKeyOf('T', 'W'), 8);
/** Each batch compacted into a chunk of its own: truncation removes whole chunks only. */
const oneChunkPerBatch = { STOCKD_LOG_RETENTION_HOURS: '1', STOCKD_WAL_COMPACT_EVERY_RECORDS: '1' };
const minuteMs = 60_000;

describe('log truncation', () => {
  it('removes chunks that are snapshotted and out of retention; history then says so', async () => {
    t = await startTestApp(oneChunkPerBatch);
    await receiveTimes(t, 20);
    t.clock.advance(30 * minuteMs);
    const before = new Date(t.clock.nowMs()).toISOString();
    t.clock.advance(31 * minuteMs);
    // The first 20 events are now 61 minutes old, past the hour of retention.
    await receiveTimes(t, 1);
    expect(await t.engine.checkpoint()).toBeGreaterThan(0);

    const oldest = oldestLoggedSeq(t.engine.store, partitionOfItem());
    expect(oldest).toBeGreaterThan(1);
    // The newest chunk always stays, and the levels never depended on the log.
    const levels = (await t.app.inject('/inventory?sku=T&warehouse-id=W')).json();
    expect(levels.levels[0]).toMatchObject({ totalQty: 21, version: 21 });
    const history = (await t.app.inject('/inventory/history?sku=T&warehouse-id=W')).json();
    expect(history.truncated).toBe(true);
    expect(history.events.at(-1)).toMatchObject({ seq: 21, totalQty: 21 });
    const asOf = await t.app.inject(`/inventory?sku=T&warehouse-id=W&asOf=${before}`);
    expect(asOf.statusCode).toBe(410);
    expect(asOf.json().code).toBe('HISTORY_TRUNCATED');
  });

  it('keeps what is not yet published when replication is on', async () => {
    t = await startTestApp(oneChunkPerBatch, { housekeeping: { replicationEnabled: true } });
    await receiveTimes(t, 20);
    t.clock.advance(2 * 60 * minuteMs);
    await t.engine.checkpoint();
    expect(oldestLoggedSeq(t.engine.store, partitionOfItem())).toBe(1);

    await writePublishedSeq(t.engine.store, partitionOfItem(), 10);
    await receiveTimes(t, 1);
    await t.engine.checkpoint();
    const oldest = oldestLoggedSeq(t.engine.store, partitionOfItem())!;
    expect(oldest).toBeGreaterThan(1);
    expect(oldest).toBeLessThanOrEqual(11);
  });

  it('keeps everything within the retention window', async () => {
    t = await startTestApp(oneChunkPerBatch);
    await receiveTimes(t, 10);
    t.clock.advance(59 * minuteMs);
    await receiveTimes(t, 1);
    await t.engine.checkpoint();
    expect(oldestLoggedSeq(t.engine.store, partitionOfItem())).toBe(1);
  });
});

describe('backpressure', () => {
  it('answers 503 OVERLOADED with Retry-After when a worker queue is full, and changes nothing', async () => {
    t = await startTestApp({
      STOCKD_QUEUE_MAX: '1',
      STOCKD_BATCH_MAX: '1',
      STOCKD_BULK_ITEMS_MAX: '1',
      STOCKD_IN_FLIGHT_BATCHES_MAX: '1',
    });
    await receiveTimes(t, 1);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        t!.app.inject({
          method: 'POST',
          url: '/inventory/reserve',
          payload: { sku: 'T', warehouseId: 'W', quantity: 1, idempotencyKey: `o-${n}` },
        }),
      ),
    );
    const overloaded = responses.filter((r) => r.statusCode === 503);
    expect(overloaded.length).toBeGreaterThan(0);
    expect(overloaded[0]!.headers['retry-after']).toBe('1');
    expect(overloaded[0]!.json()).toMatchObject({ code: 'OVERLOADED', retriable: true });
    const held = responses.filter((r) => r.statusCode === 201).length;
    expect(held).toBe(1);
    const levels = (await t.app.inject('/inventory?sku=T&warehouse-id=W')).json();
    expect(levels.levels[0].reservedQty).toBe(held);
  });
});
