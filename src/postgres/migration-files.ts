import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** One versioned SQL file of migrations/: `0002_read_models.sql` is version 2. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file: an applied migration must never change. */
  readonly checksum: string;
}

/** The repository's migrations directory (next to src/). */
export const migrationsDirectory = new URL('../../migrations/', import.meta.url);

const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads every migration of `directory`, oldest first; versions must run 1, 2, 3… without gaps. */
export async function loadMigrations(
  directory: URL | string = migrationsDirectory,
): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const fileName of names) {
    const match = fileNamePattern.exec(fileName);
    if (match === null) throw new MigrationError(`${fileName}: expected NNNN_name.sql`);
    const sql = await readFile(new URL(fileName, asDirectoryUrl(directory)), 'utf8');
    migrations.push(migrationOf(Number(match[1]), match[2]!, sql));
  }
  checkSequence(migrations);
  return migrations;
}

export function migrationOf(version: number, name: string, sql: string): Migration {
  return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

export function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(
        `migration ${migration.version} (${migration.name}) should be version ${index + 1}`,
      );
    }
  });
}

function asDirectoryUrl(directory: URL | string): URL {
  if (directory instanceof URL) return directory;
  return pathToFileURL(directory.endsWith('/') ? directory : `${directory}/`);
}
