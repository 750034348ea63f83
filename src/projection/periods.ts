import type { SnapshotPeriod } from '../config/schema.ts';

/** One period of the snapshots: [startMs, endMs), UTC. */
export interface Period {
  readonly period: SnapshotPeriod;
  readonly startMs: number;
  readonly endMs: number;
}

// UTC hours and days have fixed lengths (no leap seconds in epoch milliseconds), so periods
// are plain arithmetic, the same as PostgreSQL's date_trunc(…, 'UTC').
const lengthMs: Readonly<Record<SnapshotPeriod, number>> = { hour: 3_600_000, day: 86_400_000 };

/** The period that contains the instant `atMs`. */
export function periodOf(period: SnapshotPeriod, atMs: number): Period {
  const startMs = Math.floor(atMs / lengthMs[period]) * lengthMs[period];
  return { period, startMs, endMs: startMs + lengthMs[period] };
}

/** The period right after `previous`. */
export function nextPeriod(previous: Period): Period {
  return periodOf(previous.period, previous.endMs);
}
