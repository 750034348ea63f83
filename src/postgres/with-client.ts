import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on a client checked out of `pool`, and always gives it back. While checked out a
 * client has no pool listener: if the server ends the session between two statements (a
 * restart: "terminating connection due to administrator command"), node-postgres emits
 * 'error' on it, and with no listener that would crash the process. So one listens for the
 * whole checkout, and a client that failed — or saw such an error — is destroyed, not reused.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>) {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
  };
  client.on('error', onError);
  try {
    const result = await work(client);
    client.removeListener('error', onError);
    client.release(lost);
    return result;
  } catch (error) {
    client.removeListener('error', onError);
    client.release(error instanceof Error ? error : (lost ?? true));
    throw error;
  }
}
