import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkSequence, loadMigrations, migrationOf } from '../../src/postgres/migration-files.ts';
import { createProjectionMetrics } from '../../src/projection/projection-metrics.ts';

describe('projection lag metric', () => {
  const lagOf = async (registry: Registry) =>
    Object.fromEntries(
      (await registry.getSingleMetric('stockd_projection_lag_events')!.get()).values.map((v) => [
        v.labels.partition,
        v.value,
      ]),
    );

  it('is the newest offset seen minus the newest applied, per partition', async () => {
    const registry = new Registry();
    let nowMs = 1_000_000;
    const metrics = createProjectionMetrics(registry, () => nowMs);
    metrics.seen(0, 99, 9); // fetched up to 99; committed position 9
    metrics.seen(1, 4, -1);
    expect(await lagOf(registry)).toEqual({ '0': 90, '1': 5 });
    metrics.applied(0, 59);
    metrics.applied(1, 4);
    expect(await lagOf(registry)).toEqual({ '0': 40, '1': 0 });
    metrics.seen(0, 150, 0); // a later fetch: the applied position is kept
    expect(await lagOf(registry)).toEqual({ '0': 91, '1': 0 });
    metrics.waiting(0, 60, nowMs - 30_000); // the run in hand begins with a 30 s old event
    nowMs += 10_000; // …and waits for PostgreSQL: the lag in seconds grows with the clock
    const seconds = await registry.getSingleMetric('stockd_projection_lag_seconds')!.get();
    expect(seconds.values.map((v) => v.value)).toEqual([40]);
  });
});

describe('migration files', () => {
  it('must be numbered 1, 2, 3… without gaps', () => {
    expect(() => checkSequence([migrationOf(1, 'a', ''), migrationOf(3, 'c', '')])).toThrow(
      /should be version 2/,
    );
  });

  it('are named NNNN_name.sql', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockd-migrations-'));
    try {
      writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1;');
      expect((await loadMigrations(dir)).map((m) => m.name)).toEqual(['first']);
      writeFileSync(join(dir, '2_second.sql'), 'SELECT 2;');
      await expect(loadMigrations(dir)).rejects.toThrow(/expected NNNN_name.sql/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
