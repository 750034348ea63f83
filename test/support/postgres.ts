// Provides a PostgreSQL database to integration tests, in this order:
//   1. DATABASE_URL env: used as is, never dropped.
//   2. A Docker engine that answers: a PostgreSqlContainer (@testcontainers/postgresql).
//   3. Otherwise the local server (STOCKD_PG_ADMIN_URL, default
//      postgres://postgres@127.0.0.1:5432/postgres, trust auth): a fresh scratch database
//      stockd_test_<random> is created there and dropped by stop().
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { containerRuntimeAvailable } from './kafka-broker.ts';

export interface ProvidedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const LOCAL_ADMIN_URL =
  process.env.STOCKD_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const POSTGRES_IMAGE = process.env.STOCKD_POSTGRES_IMAGE ?? 'postgres:15-alpine';

export async function providePostgres(): Promise<ProvidedPostgres> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) {
    return { url: fromEnv, stop: async () => {} };
  }

  if (await containerRuntimeAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
    return {
      url: container.getConnectionUri(),
      stop: async () => {
        await container.stop();
      },
    };
  }

  const scratch = await createScratchDatabase(LOCAL_ADMIN_URL);
  return { url: scratch.url, stop: () => scratch.drop() };
}

/**
 * Creates an empty, uniquely named database on the server of `baseUrl` (whose user must be
 * allowed to CREATE DATABASE) and returns its URL; drop() removes it, disconnecting any
 * remaining sessions.
 */
export async function createScratchDatabase(
  baseUrl: string,
  prefix = 'stockd_test',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const quoted = `"${name.replaceAll('"', '""')}"`;
  await withAdmin(baseUrl, (client) => client.query(`CREATE DATABASE ${quoted}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      // WITH (FORCE): PostgreSQL 13+; a leaked pool must not keep the database alive.
      await withAdmin(baseUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`),
      );
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL not reachable at ${redact(url)} (set DATABASE_URL, or run a Docker engine)`,
      { cause: err },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) {
    u.password = '***';
  }
  return u.toString();
}
