import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, MigrationError, migrationOf } from '../../src/postgres/migration-files.ts';
import { migrate } from '../../src/postgres/migrator.ts';
import { reportingDatabase } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;

describe('migrator', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('applies the repository migrations once, in order; a second run applies nothing', async () => {
    database = await reportingDatabase({ migrated: false });
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(await migrate(database.pool)).toEqual({
      applied: migrations.map((m) => m.version),
      unknown: [],
    });
    expect(await migrate(database.pool)).toEqual({ applied: [], unknown: [] });
    const { rows } = await database.pool.query(
      'SELECT version, checksum FROM stockd.schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(migrations.map(({ version, checksum }) => ({ version, checksum })));
  });

  it('lets concurrent starts apply each migration exactly once (advisory lock)', async () => {
    database = await reportingDatabase({ migrated: false });
    const reports = await Promise.all(Array.from({ length: 4 }, () => migrate(database!.pool)));
    const applied = reports.flatMap((report) => report.applied).sort();
    expect(applied).toEqual((await loadMigrations()).map((m) => m.version));
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    database = await reportingDatabase({ migrated: false });
    const first = migrationOf(
      1,
      'first',
      'CREATE SCHEMA IF NOT EXISTS stockd; CREATE TABLE stockd.a (x int);',
    );
    await migrate(database.pool, [first]);
    const edited = migrationOf(1, 'first', `${first.sql} -- edited`);
    await expect(migrate(database.pool, [edited])).rejects.toThrow(/changed after it was applied/);
  });

  it('rolls a failing migration back, leaving the previous version in place', async () => {
    database = await reportingDatabase({ migrated: false });
    const good = migrationOf(
      1,
      'good',
      'CREATE SCHEMA IF NOT EXISTS stockd; CREATE TABLE stockd.a (x int);',
    );
    const bad = migrationOf(2, 'bad', 'CREATE TABLE stockd.b (x int); SELECT no_such_function();');
    const failing = migrate(database.pool, [good, bad]);
    await expect(failing).rejects.toBeInstanceOf(MigrationError);
    await expect(failing).rejects.toThrow(/migration 2 \(bad\) failed/);
    const { rows } = await database.pool.query(
      `SELECT (SELECT array_agg(version) FROM stockd.schema_migrations) AS versions,
              to_regclass('stockd.b') IS NULL AS b_absent`,
    );
    expect(rows[0]).toEqual({ versions: [1], b_absent: true });
  });

  it('reports versions it does not know (a newer stockd migrated this database)', async () => {
    database = await reportingDatabase({ migrated: false });
    const one = migrationOf(1, 'one', 'CREATE SCHEMA IF NOT EXISTS stockd;');
    const two = migrationOf(2, 'two', 'SELECT 1;');
    await migrate(database.pool, [one, two]);
    expect(await migrate(database.pool, [one])).toEqual({ applied: [], unknown: [2] });
  });
});
