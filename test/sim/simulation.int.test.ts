import { describe, expect, it } from 'vitest';
import { type CrashPoint, crashPoints } from './faults.ts';
import { SimulationFailure, type SimulationReport, simulate } from './simulator.ts';

/**
 * The deterministic simulation on a fixed set of seeds (more: `npm run sim -- --seeds N`).
 * Each seed is a world of its own — partitions, items, workers, housekeeping horizons, crash
 * rate — run for a few hundred steps of client batches, group commits, housekeeping, disk
 * writes landing, time passing, crashes at every point of the write path, and restarts; after
 * every step no oversell, reserved = Σ held, nothing acknowledged lost and replay equal to live.
 */
const seeds = Array.from({ length: 48 }, (_, i) => i + 1);
const steps = 500;
const reports: SimulationReport[] = [];

async function run(seed: number, options: { replyBeforeCommit?: boolean } = {}) {
  try {
    return await simulate({ seed, steps, ...options });
  } catch (error) {
    if (error instanceof SimulationFailure) error.message += `\nreproduce: ${error.reproduce}`;
    throw error;
  }
}

describe('the deterministic simulation', () => {
  it.each(seeds)('keeps every promise through crashes and restarts: seed %i', async (seed) => {
    reports.push(await run(seed));
  });

  it('crashes at every crash point, and drives every request to every kind of answer', () => {
    const crashes = new Map<string, number>();
    const outcomes = new Set<string>();
    for (const report of reports) {
      for (const [point, count] of report.crashes)
        crashes.set(point, (crashes.get(point) ?? 0) + count);
      for (const outcome of report.outcomes.keys()) outcomes.add(outcome);
    }
    const neverCrashed = (Object.keys(crashPoints) as CrashPoint[]).filter((p) => !crashes.has(p));
    expect(neverCrashed).toEqual([]);
    const wanted = [
      'ReceiveStock applied',
      'AdjustStock applied',
      'AdjustStock WOULD_UNDERCUT_RESERVED',
      'SetItemStatus applied',
      'Reserve applied',
      'Reserve unchanged',
      'Reserve IDEMPOTENCY_KEY_REUSED',
      'Reserve INSUFFICIENT_STOCK',
      'Reserve ITEM_INACTIVE',
      'Reserve duplicate',
      'Reserve COMMAND_ID_REUSED',
      'ChangeReservation applied',
      'Confirm applied',
      'Confirm RESERVATION_EXPIRED',
      'Release applied',
      'GetItem unchanged',
      'GetReservation unchanged',
    ];
    expect(wanted.filter((outcome) => !outcomes.has(outcome))).toEqual([]);
    expect(reports.reduce((sum, report) => sum + report.expired, 0)).toBeGreaterThan(0);
    expect(reports.every((report) => report.replayChecks > 0)).toBe(true);
  });

  it('runs a seed the same way every time', async () => {
    const [first, second] = [await run(7), await run(7)];
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.requests).toBe(first.requests);
    expect(await run(8)).not.toHaveProperty('traceHash', first.traceHash);
  });

  it('catches an engine that replies before it commits, at a step that reproduces', async () => {
    let failure: SimulationFailure | undefined;
    for (const seed of seeds) {
      failure = await simulate({ seed, steps, replyBeforeCommit: true }).then(
        () => undefined,
        (error: unknown) => error as SimulationFailure,
      );
      if (failure !== undefined) break;
    }
    expect(failure).toBeInstanceOf(SimulationFailure);
    expect(failure!.message).toMatch(/acknowledged/);
    const again = await simulate({ seed: failure!.seed, steps, replyBeforeCommit: true }).catch(
      (error: unknown) => error as SimulationFailure,
    );
    expect(again).toBeInstanceOf(SimulationFailure);
    expect((again as SimulationFailure).message).toBe(failure!.message);
  });
});
