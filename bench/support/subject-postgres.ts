import { createPostgres } from './postgres-instance.ts';
import { startServerProcess } from './server-process.ts';
import { type Subject, type SubjectSettings, wholeProcess } from './subject.ts';

/**
 * The seed's design on the local PostgreSQL server, in a scratch database of its own, behind
 * its fastify front. Its CPU: the front and the backends of the front's connections; the
 * server's background processes (WAL writer, checkpointer, …) are shown but not counted, since
 * they serve every database on the shared server.
 */
export async function startPostgresBaseline(settings: SubjectSettings): Promise<Subject> {
  const postgres = await createPostgres(
    settings.postgresAdminUrl,
    settings.itemCount,
    settings.stockQuantity,
  );
  try {
    const fsync = await postgres.fsync();
    if (fsync !== 'on')
      throw new Error(`PostgreSQL runs with fsync=${fsync}: commits are not durable`);
    const front = await startServerProcess(
      new URL('./postgres-front.ts', import.meta.url).pathname,
      [],
      { DATABASE_URL: postgres.url, POOL_SIZE: String(settings.postgresPoolSize) },
    );
    return {
      name: 'postgres',
      label: `the seed's PostgreSQL design, synchronous commit, pool of ${settings.postgresPoolSize}`,
      url: front.url,
      threads: async () => [
        ...wholeProcess(front.pid, 'fastify front'),
        ...(await postgres.backendPids()).flatMap((pid) => wholeProcess(pid, 'postgres backends')),
        ...(await postgres.serverPids()).flatMap((pid) =>
          wholeProcess(pid, 'postgres background processes (shared, not counted)', false),
        ),
      ],
      stop: async () => {
        await front.stop();
        await postgres.drop();
      },
    };
  } catch (error) {
    await postgres.drop();
    throw error;
  }
}
