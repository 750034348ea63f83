import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkSequence, loadMigrations, migrationOf } from '../../src/postgres/migration-files.ts';
import { createProjectionMetrics } from '../../src/projection/projection-metrics.ts';
import {
  type ProjectorState,
  projectorStateMachine,
  projectorTransitions,
} from '../../src/projection/projector-state.ts';

describe('projector lifecycle', () => {
  const states = Object.keys(projectorTransitions) as ProjectorState[];

  it.each(
    states.flatMap((from) =>
      states.map((to) => [from, to, projectorTransitions[from].includes(to)] as const),
    ),
  )('%s → %s allowed: %s', (from, to, allowed) => {
    const machine = projectorStateMachine(() => {});
    const path: Record<ProjectorState, ProjectorState[]> = {
      idle: [],
      starting: ['starting'],
      running: ['starting', 'running'],
      stopping: ['stopping'],
      stopped: ['stopping', 'stopped'],
      failed: ['starting', 'failed'],
    };
    for (const step of path[from]) machine.to(step);
    expect(machine.state).toBe(from);
    if (allowed) expect(() => machine.to(to)).not.toThrow();
    else expect(() => machine.to(to)).toThrow(`no transition ${from} → ${to}`);
  });

  it('ends only in stopped or failed', () => {
    expect(states.filter((state) => projectorTransitions[state].length === 0)).toEqual([
      'stopped',
      'failed',
    ]);
  });
});

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
    const metrics = createProjectionMetrics(registry);
    metrics.seen(0, 99, 9); // fetched up to 99; committed position 9
    metrics.seen(1, 4, -1);
    expect(await lagOf(registry)).toEqual({ '0': 90, '1': 5 });
    metrics.applied(0, 59);
    metrics.applied(1, 4);
    expect(await lagOf(registry)).toEqual({ '0': 40, '1': 0 });
    metrics.seen(0, 150, 0); // a later fetch: the applied position is kept
    expect(await lagOf(registry)).toEqual({ '0': 91, '1': 0 });
    metrics.reassigned();
    expect(await lagOf(registry)).toEqual({});
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
