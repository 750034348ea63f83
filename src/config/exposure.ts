import { isIP } from 'node:net';
import type { Config } from './schema.ts';

/**
 * How far the HTTP API is open, decided once at start from HOST and the access settings:
 *
 *   keys          every route but the open ones needs a key
 *   loopback      no keys: served on a loopback address only, without authentication
 *   open          STOCKD_AUTH=off: no authentication, on any address
 *   refused       no keys on an address other machines can reach: stockd does not start
 */
export type Exposure = 'keys' | 'loopback' | 'open' | 'refused';

export function exposureOf(config: Pick<Config, 'host' | 'access'>): Exposure {
  if (config.access.authentication === 'off') return 'open';
  if (config.access.keys.length > 0) return 'keys';
  return isLoopback(config.host) ? 'loopback' : 'refused';
}

/** Why stockd refuses to serve with this configuration, if it does. */
export function exposureProblemOf(config: Pick<Config, 'host' | 'access'>): string | undefined {
  if (exposureOf(config) !== 'refused') return undefined;
  return `HOST=${config.host} is reachable from other machines and no API key is configured: set STOCKD_API_KEYS or STOCKD_API_KEYS_FILE (see \`stockd api-key\`), listen on a loopback address (HOST=127.0.0.1), or set STOCKD_AUTH=off if a proxy in front of stockd authenticates every request`;
}

/**
 * Only literal loopback addresses and `localhost` count: any other name may resolve to an
 * address other machines reach, and 0.0.0.0 / :: listen on all of them.
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
