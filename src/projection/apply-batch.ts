import type { Pool } from 'pg';
import { withClient } from '../postgres/with-client.ts';
import type { BatchPlan } from './batch-plan.ts';
import { insertEvents, insertRejects } from './sql/events.ts';
import { insertDayCloses, upsertLevels } from './sql/levels.ts';
import { insertOrderEvents, upsertOrderLines, upsertOrderSnapshots } from './sql/orders.ts';
import { correctLateCloses, shareSnapshotLock } from './sql/period-snapshots.ts';
import { upsertProgress } from './sql/progress.ts';
import { insertQuantityChanges, upsertReservations } from './sql/reservations.ts';

export interface AppliedBatch {
  /** Events stored by this transaction. */
  readonly inserted: number;
  /** Events already stored (redeliveries). */
  readonly duplicates: number;
}

/**
 * Writes one plan in one transaction. Every statement is idempotent on its own, so a run of
 * events applied twice, or overlapping one applied before, changes nothing:
 *
 *   events, rejects, quantity history, daily closes   ON CONFLICT DO NOTHING (natural keys)
 *   levels                                            only if seq > last_applied_seq
 *   reservations                                      only if version > stored version
 *   order events                                      ON CONFLICT DO NOTHING (event id)
 *   order lines and snapshots                         only if seq > stored last_event_seq
 *   daily movements                                   summed from the events actually inserted
 *   closes of periods already closed                  only if a later event of the item's chain
 *
 * Order matters twice: the quantity history before the
 * reservations (their counts are read from it), the in-batch daily closes before the levels
 * upsert (which closes the stored row's day). The events go last: their statement updates the
 * warehouse's daily movement row, which every partition's transaction shares, so it should
 * hold that row lock for as short a time as possible. The corrections of period closes come
 * after them, since they read the events back (sql/period-snapshots.ts has why they take a lock).
 */
export function applyBatch(pool: Pool, plan: BatchPlan): Promise<AppliedBatch> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      if (plan.rejects.length > 0) await client.query(insertRejects(plan));
      if (plan.quantityChanges.length > 0) {
        await client.query(insertQuantityChanges(plan.quantityChanges));
      }
      if (plan.reservations.length > 0) await client.query(upsertReservations(plan.reservations));
      if (plan.dayCloses.length > 0) await client.query(insertDayCloses(plan.dayCloses));
      if (plan.levels.length > 0) await client.query(upsertLevels(plan.levels));
      let inserted = 0;
      if (plan.orderEvents.length > 0) {
        const orderEvents = insertOrderEvents(plan.orderEvents, plan.orderEventPayloads);
        inserted += (await client.query(orderEvents)).rowCount ?? 0;
        await client.query(upsertOrderLines(plan.orderLines));
        await client.query(upsertOrderSnapshots(plan.orderSnapshots));
      }
      await client.query(upsertProgress(plan));
      if (plan.events.length > 0) {
        const events = insertEvents(plan.events, plan.eventPayloads);
        const result = await client.query<{ inserted: number }>(events);
        inserted += result.rows[0]!.inserted;
        await client.query(shareSnapshotLock);
        await client.query(correctLateCloses(plan.events));
      }
      await client.query('COMMIT');
      return { inserted, duplicates: plan.events.length + plan.orderEvents.length - inserted };
    } catch (error) {
      // If the session still works; withClient then destroys it either way.
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}
