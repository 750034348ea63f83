import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.inject({
    method: 'POST',
    url: '/inventory/receipts',
    payload: { sku: 'M', warehouseId: 'W', quantity: 2 },
  });
  await t.app.inject({
    method: 'POST',
    url: '/inventory/reserve',
    payload: { sku: 'M', warehouseId: 'W', quantity: 5, idempotencyKey: 'x' },
  });
});
afterAll(() => t.close());

describe('operations', () => {
  it('/healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    // Without Kafka and PostgreSQL the engine and its data directory's space are all there is.
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      components: {
        engine: { state: 'running' },
        storage: {
          state: 'running',
          since: expect.any(String),
          freeBytes: expect.any(Number),
          floorBytes: 64 * 1_048_576,
        },
      },
    });
  });

  it('/metrics exposes the engine’s numbers gathered from the worker threads', async () => {
    const response = await t.app.inject('/metrics');
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('stockd_commands_total{type="ReceiveStock",outcome="applied"} 1');
    expect(text).toContain('stockd_commands_total{type="Reserve",outcome="INSUFFICIENT_STOCK"} 1');
    // Each request once, by route pattern and status; the buckets are cumulative up to +Inf.
    const reserved = 'method="POST",route="/inventory/reserve",status_code="409"';
    expect(text).toContain(`stockd_http_request_duration_seconds_count{${reserved}} 1`);
    expect(text).toContain(`stockd_http_request_duration_seconds_bucket{${reserved},le="+Inf"} 1`);
    expect(text).toMatch(/^# TYPE stockd_http_request_duration_seconds histogram$/m);
    for (const name of [
      'stockd_batches_total',
      'stockd_batch_requests_total',
      'stockd_log_commit_seconds_bucket{le="+Inf"}',
      'stockd_log_commit_seconds_count',
      'stockd_queue_depth{worker="0"}',
      'stockd_snapshot_age_seconds{partition="0"}',
      'stockd_items 1',
      'stockd_worker_heap_used_bytes{worker="0"}',
      'stockd_overloaded_requests_total{worker="0"} 0',
      'stockd_data_dir_free_bytes',
      'stockd_data_dir_size_bytes',
      'stockd_http_request_duration_seconds_bucket',
      'process_cpu_seconds_total',
    ]) {
      expect(text, name).toContain(name);
    }
  });

  it('/metrics measures snapshot age on the engine’s clock', async () => {
    // No snapshot yet: the age counts from the engine's start.
    t.clock.advance(90_000);
    expect((await t.app.inject('/metrics')).body).toContain(
      'stockd_snapshot_age_seconds{partition="0"} 90\n',
    );
  });

  it('/metrics counts the events a restart would replay, per partition, until snapshotted', async () => {
    const scraped = [
      ...(await t.app.inject('/metrics')).body.matchAll(
        /^stockd_unsnapshotted_events\{partition="(\d+)"\} (\d+)$/gm,
      ),
    ].filter(([, , events]) => events !== '0');
    // The receipt of beforeAll (the refused reserve logged nothing), in the partition of M|W.
    const partition = partitionOf(itemKeyOf('M', 'W'), 8);
    expect(scraped.map(([, p, events]) => [Number(p), Number(events)])).toEqual([[partition, 1]]);
    // Snapshotted: nothing left to replay (the numbers the next scrape reads).
    t.clock.advance(60_000);
    await t.engine.runHousekeeping();
    const [worker] = (await t.engine.stats()).workers;
    expect(worker!.snapshotSeq[partition]).toBe(worker!.lastSeq[partition]);
  });

  it('/docs serves the OpenAPI document generated from the route schemas', async () => {
    const spec = (await t.app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/inventory',
      '/inventory/reserve',
      '/inventory/release',
      '/inventory/confirm',
      '/inventory/receipts',
      '/inventory/adjustments',
      '/inventory/status',
      '/inventory/history',
      '/reservations/{id}',
      '/metrics',
      '/healthz',
      '/readyz',
    ]) {
      expect(Object.keys(spec.paths), path).toContain(path);
    }
    expect(Object.keys(spec.paths['/metrics'].get.responses['200'].content)).toEqual([
      'text/plain',
    ]);
    expect((await t.app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('/asyncapi serves the Kafka contract as it is written, /asyncapi.json the same as JSON', async () => {
    const written = await readFile(new URL('../../docs/asyncapi.yaml', import.meta.url), 'utf8');
    const yaml = await t.app.inject('/asyncapi');
    expect(yaml.statusCode).toBe(200);
    expect(yaml.headers['content-type']).toContain('application/yaml');
    expect(yaml.body).toBe(written);
    const json = await t.app.inject('/asyncapi.json');
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.json()).toEqual(parse(written));
    expect(json.json().asyncapi).toMatch(/^3\./);
    // A contract, not a route of the API: the OpenAPI document names it but does not list it.
    const spec = (await t.app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).not.toContain('/asyncapi');
    expect(spec.info.description).toContain('/asyncapi');
  });
});
