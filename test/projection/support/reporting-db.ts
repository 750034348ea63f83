import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../../src/postgres/migrator.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/postgres.ts';

/**
 * A fresh database per suite on the run's PostgreSQL server (global-setup's database, whose
 * user may create databases; else the local server), migrated, with a pool on it.
 */
export async function reportingDatabase(
  options: { migrated?: boolean } = {},
): Promise<ScratchDatabase & { pool: pg.Pool; close(): Promise<void> }> {
  const serverUrl =
    (inject('databaseUrl') as string | undefined) ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(serverUrl, 'stockd_reporting');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  pool.on('error', () => {});
  if (options.migrated !== false) await migrate(pool);
  return {
    ...scratch,
    pool,
    close: async () => {
      await pool.end();
      await scratch.drop();
    },
  };
}

/**
 * Every read model's rows in a stable order, as text: two projections are the same if these
 * are equal. `projected_at`/`updated_at` of progress are wall-clock times of the projection
 * itself, compared separately where it matters.
 */
export async function tableContents(pool: pg.Pool): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    events: 'SELECT * FROM stockd.events ORDER BY event_id',
    levels: 'SELECT * FROM stockd.levels ORDER BY sku, warehouse_id',
    reservations: 'SELECT * FROM stockd.reservations ORDER BY reservation_id',
    reservation_adjustments:
      'SELECT * FROM stockd.reservation_adjustments ORDER BY reservation_id, version',
    level_snapshots: 'SELECT * FROM stockd.level_snapshots ORDER BY sku, warehouse_id, day',
    warehouse_daily_movements:
      'SELECT * FROM stockd.warehouse_daily_movements ORDER BY warehouse_id, day',
    rejected_messages:
      'SELECT topic, kafka_partition, kafka_offset, reason FROM stockd.rejected_messages ORDER BY 1, 2, 3',
  };
  const contents: Record<string, string> = {};
  for (const [table, sql] of Object.entries(tables)) {
    const { rows } = await pool.query(sql);
    contents[table] = JSON.stringify(rows);
  }
  return contents;
}

/** The same, without the columns that record when the projector wrote a row. */
export async function projectedContents(pool: pg.Pool): Promise<Record<string, string>> {
  const contents = await tableContents(pool);
  return Object.fromEntries(
    Object.entries(contents).map(([table, json]) => [
      table,
      JSON.stringify(
        (JSON.parse(json) as Record<string, unknown>[]).map(({ projected_at: _, ...row }) => row),
      ),
    ]),
  );
}
