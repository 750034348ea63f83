import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createScratchDatabase } from '../../test/support/postgres.ts';

export interface PostgresInstance {
  readonly url: string;
  readonly name: string;
  /** Server processes serving this database's connections (one per pooled connection). */
  backendPids(): Promise<number[]>;
  /** The server's own background processes (WAL writer, checkpointer, …), shared by every database. */
  serverPids(): Promise<number[]>;
  /** `SHOW fsync`: with it off, synchronous_commit would not reach the disk. */
  fsync(): Promise<string>;
  drop(): Promise<void>;
}

/**
 * A scratch database on the local server (`adminUrl`'s user must be allowed to CREATE DATABASE)
 * with the seed's two tables and `itemCount` items in stock.
 */
export async function createPostgres(
  adminUrl: string,
  itemCount: number,
  quantity: number,
): Promise<PostgresInstance> {
  const scratch = await createScratchDatabase(adminUrl, 'stockd_bench');
  const seed = new pg.Client({ connectionString: scratch.url });
  await seed.connect();
  try {
    await seed.query(readFileSync(new URL('./postgres-schema.sql', import.meta.url), 'utf8'));
    await seed.query(
      `INSERT INTO inventory (sku_id, warehouse_id, available_qty, total_qty, reserved_qty)
       SELECT 'SKU-' || i, 'WH-1', $2, $2, 0 FROM generate_series(0, $1 - 1) AS i`,
      [itemCount, quantity],
    );
    await seed.query('VACUUM ANALYZE inventory');
  } finally {
    await seed.end();
  }
  // Watching from the admin database, so that this connection is not one of the counted backends.
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const pids = async (where: string, values: unknown[]) =>
    (await admin.query(`SELECT pid FROM pg_stat_activity WHERE ${where}`, values)).rows.map(
      (row: { pid: number }) => row.pid,
    );
  return {
    url: scratch.url,
    name: scratch.name,
    backendPids: () => pids('datname = $1', [scratch.name]),
    serverPids: () => pids("backend_type <> 'client backend'", []),
    fsync: async () => (await admin.query('SHOW fsync')).rows[0].fsync,
    drop: async () => {
      await admin.end();
      await scratch.drop();
    },
  };
}
