// A throwaway PostgreSQL server of a test's own, for tests that stop or restart the server
// (the shared one on 5432 must never be touched). Built from the local PostgreSQL binaries:
// initdb into a temporary directory, then pg_ctl on a free port. initdb refuses to run as
// root, so as root the binaries run as the `postgres` OS user.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresInstance {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth). */
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated, as in a real restart. */
  stop(): Promise<void>;
  /** Stops, stays down for `downMs`, starts again. */
  restart(downMs?: number): Promise<void>;
  /** Stops and deletes everything. */
  destroy(): Promise<void>;
}

/** The PostgreSQL bin directory: STOCKD_PG_BIN, else the newest Debian-style install. */
export function postgresBinDirectory(): string | undefined {
  if (process.env.STOCKD_PG_BIN) return process.env.STOCKD_PG_BIN;
  return ['17', '16', '15', '14', '13']
    .map((version) => `/usr/lib/postgresql/${version}/bin`)
    .find((dir) => existsSync(join(dir, 'initdb')));
}

export async function startPostgresInstance(): Promise<PostgresInstance> {
  const bin = postgresBinDirectory();
  if (bin === undefined) throw new Error('no PostgreSQL binaries (set STOCKD_PG_BIN)');
  const asRoot = process.getuid?.() === 0;
  const exec = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args);
  const dir = await mkdtemp(join(tmpdir(), 'stockd-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(gid));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  };
  const stop = async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async restart(downMs = 0) {
      await stop();
      await sleep(downMs);
      await start();
    },
    async destroy() {
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
