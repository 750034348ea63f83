import { createServer } from 'node:net';

/**
 * A loopback TCP port nobody listens on right now, for a server that cannot be told to pick
 * one itself (redis-server). Another process could take it before that server binds it; the
 * server then fails to start, loudly.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
