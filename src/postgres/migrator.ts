import type { Pool, PoolClient } from 'pg';
import { loadMigrations, type Migration, MigrationError } from './migration-files.ts';
import { withClient } from './with-client.ts';

export interface MigrationReport {
  /** Versions this call applied, oldest first. */
  readonly applied: readonly number[];
  /** Versions in the database that this build does not know: a newer stockd migrated it. */
  readonly unknown: readonly number[];
}

const migrationLockKey = 0x73746f636b64n; // "stockd"
const lock = `SELECT pg_advisory_lock(${migrationLockKey})`;
const unlock = `SELECT pg_advisory_unlock(${migrationLockKey})`;

/**
 * Every process that touches the reporting schema calls this on start (projector, reports). A
 * session advisory lock serialises them, so concurrent starts apply each migration once; each
 * migration runs in its own transaction with its schema_migrations row, so a failure leaves the
 * database at the previous version. The lock dies with the session if the process does.
 */
export async function migrate(
  pool: Pool,
  migrations?: readonly Migration[],
): Promise<MigrationReport> {
  const wanted = migrations ?? (await loadMigrations());
  return withClient(pool, async (client) => {
    await client.query(lock);
    let report: MigrationReport;
    try {
      report = await applyPending(client, wanted);
    } catch (error) {
      await client.query(unlock).catch(() => {}); // a dead session has released it already
      throw error;
    }
    await client.query(unlock);
    return report;
  });
}

async function applyPending(
  client: PoolClient,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS stockd;
    CREATE TABLE IF NOT EXISTS stockd.schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
    'SELECT version, name, checksum FROM stockd.schema_migrations ORDER BY version',
  );
  const done = new Map(rows.map((row) => [row.version, row]));
  const newestDone = rows.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (const migration of migrations) {
    const row = done.get(migration.version);
    if (row !== undefined) {
      if (row.checksum !== migration.checksum) {
        throw new MigrationError(
          `migration ${migration.version} (${migration.name}) changed after it was applied`,
        );
      }
      continue;
    }
    if (migration.version < newestDone) {
      throw new MigrationError(
        `migration ${migration.version} (${migration.name}) is missing below applied version ${newestDone}`,
      );
    }
    await applyOne(client, migration);
    applied.push(migration.version);
  }
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = rows.map((row) => row.version).filter((version) => !known.has(version));
  return { applied, unknown };
}

async function applyOne(client: PoolClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query(
      'INSERT INTO stockd.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
      [migration.version, migration.name, migration.checksum],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new MigrationError(`migration ${migration.version} (${migration.name}) failed`, {
      cause: error,
    });
  }
}
