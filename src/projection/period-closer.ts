import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { SnapshotPeriod } from '../config/schema.ts';
import { isRetriable } from '../postgres/retry-policy.ts';
import { withClient } from '../postgres/with-client.ts';
import { nextPeriod, type Period, periodOf } from './periods.ts';
import {
  closePeriod,
  lastClosedPeriod,
  oldestEventTime,
  partitionsShortOf,
  takeSnapshotLock,
} from './sql/period-snapshots.ts';

export interface PeriodCloserDependencies {
  readonly pool: Pool;
  readonly period: SnapshotPeriod;
  /** The events topic, whose partitions' progress tells how far PostgreSQL got. */
  readonly topic: string;
  /**
   * Kafka partitions this projector knows to have events not yet applied; undefined while it
   * does not know yet (before its first look at the topic's ends after a start).
   */
  readonly partitionsBehind: () => readonly number[] | undefined;
  /** The clock periods end on (inside `serve`, the engine's: event times are on it). */
  readonly nowMs: () => number;
  readonly logger: Logger;
  /** How often the clock is looked at (milliseconds): a close comes at most this late. */
  readonly checkIntervalMs: number;
  /** A failure retrying cannot fix (bad SQL, a bug): the projector stops. */
  readonly fail: (error: unknown) => void;
}

export interface PeriodCloser {
  /** Looks at the clock every checkIntervalMs and closes what is due. */
  start(): void;
  /** Closes every period that ended by now, oldest first; resolves to how many it closed. */
  closeDue(): Promise<number>;
  /** Stops the timer; resolves once a close in flight has committed or rolled back. */
  stop(): Promise<void>;
}

/**
 * What one look at the database found: a period closed now, when the next one is due, or that
 * the one due waits for the projector to catch up.
 */
type Step =
  | { readonly closed: Period; readonly items: number }
  | { readonly dueAtMs: number }
  | { readonly waiting: Period };

/**
 * The period snapshots' timer. At each period's end it writes the snapshot of every item that
 * changed in it (sql/period-snapshots.ts), from the events table rather than from memory, so a
 * projector that was down across period ends catches up on start: it closes every period from
 * the one after the newest closed (or from the oldest event's) up to now, one transaction each,
 * oldest first. Where the next close is due is kept in memory, so a look at the clock costs
 * nothing until then. Several projectors of one group may close the same periods: the lock and
 * ON CONFLICT DO NOTHING make the second one write nothing.
 *
 * A period is closed once the clock has passed its end and PostgreSQL has its events: every
 * partition the projector is behind on must have an event at or after the end stored (events
 * of a partition come in time order). So a backlog (a rebuild, a restart after downtime) is
 * closed period by period as the projection passes each end, not before it; a partition that is
 * not behind holds nothing more of the period. Until the projector knows how far behind it is
 * (its first look at the topic after a start), nothing is closed. What still arrives late — events the relay
 * published late, another projector's partitions — corrects the close (sql/).
 *
 * A manual clock moves only when a test says so; the timer looks at it all the same, so a test
 * advances the clock past a period's end and sees the close within a check interval.
 */
export function createPeriodCloser(deps: PeriodCloserDependencies): PeriodCloser {
  const { pool, period, logger } = deps;
  let dueAtMs = Number.NEGATIVE_INFINITY; // unknown: look at the database first
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  // Looking is done without the lock, which would stall the batches; only a close takes it.
  // Two projectors that both found the same period due close it once (DO NOTHING).
  const step = async (nowMs: number): Promise<Step> => {
    const next = await nextToClose(pool, period, nowMs);
    if (next === undefined || next.endMs > nowMs) {
      return { dueAtMs: next?.endMs ?? periodOf(period, nowMs).endMs };
    }
    const behind = deps.partitionsBehind();
    if (behind === undefined) return { waiting: next };
    if (behind.length > 0) {
      const short = await pool.query<{ short: number }>(
        partitionsShortOf(deps.topic, behind, next.endMs),
      );
      if (short.rows[0]!.short > 0) return { waiting: next };
    }
    const items = await withClient(pool, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(takeSnapshotLock);
        const { rows } = await client.query<{ items: number }>(closePeriod(next));
        await client.query('COMMIT');
        return rows[0]!.items;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
    return { closed: next, items };
  };

  const closeDue = async (): Promise<number> => {
    let closed = 0;
    while (!stopped) {
      const result = await step(deps.nowMs());
      if ('dueAtMs' in result) {
        dueAtMs = result.dueAtMs;
        break;
      }
      if ('waiting' in result) break; // still due: the next look tries again
      closed++;
      logger.info(
        {
          period,
          start: new Date(result.closed.startMs).toISOString(),
          end: new Date(result.closed.endMs).toISOString(),
          items: result.items,
        },
        'period closed: snapshots written',
      );
    }
    return closed;
  };

  const tick = async () => {
    if (deps.nowMs() >= dueAtMs) {
      running = closeDue();
      try {
        await running;
      } catch (error) {
        if (!isRetriable(error)) {
          deps.fail(error);
          return;
        }
        // PostgreSQL is away: the next look tries again (the batches retry it too).
        logger.warn({ err: error, period }, 'closing a snapshot period failed; retrying');
      } finally {
        running = undefined;
      }
    }
    if (!stopped) timer = setTimeout(tick, deps.checkIntervalMs);
  };

  return {
    start() {
      if (timer !== undefined || stopped) return;
      timer = setTimeout(tick, 0);
    },
    closeDue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

/** The period after the newest closed one; with none closed, the oldest event's period. */
async function nextToClose(
  pool: Pool,
  period: SnapshotPeriod,
  nowMs: number,
): Promise<Period | undefined> {
  const last = await pool.query<{ start_ms: string; end_ms: string }>(lastClosedPeriod(period));
  if (last.rows[0] !== undefined) {
    const { start_ms, end_ms } = last.rows[0];
    return nextPeriod({ period, startMs: Number(start_ms), endMs: Number(end_ms) });
  }
  const oldest = await pool.query<{ at_ms: string | null }>(oldestEventTime);
  const atMs = oldest.rows[0]?.at_ms;
  // Nothing stored yet: nothing to close before the period now running ends.
  return atMs === null || atMs === undefined
    ? undefined
    : periodOf(period, Math.min(Number(atMs), nowMs));
}
