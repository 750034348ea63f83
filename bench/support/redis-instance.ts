import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { tempDir } from '../../test/support/temp-dir.ts';
import { freePort } from './free-port.ts';
import { stockKeyOf } from './redis-keys.ts';

/** Debian's package; never the machine's own instance (port 6379), which others use. */
const redisServerPath = '/usr/bin/redis-server';

export interface RedisInstance {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * A redis-server of the bench's own, on a free port with its data in a fresh directory: the
 * append-only file fsynced once a second (so a crash may lose up to about a second of
 * acknowledged reserves, which stockd never does) and no RDB snapshots.
 */
export async function startRedis(): Promise<RedisInstance> {
  const dir = tempDir('bench-redis');
  const port = await freePort();
  const configPath = join(dir.path, 'redis.conf');
  writeFileSync(
    configPath,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir.path}`,
      'appendonly yes',
      'appendfsync everysec',
      'save ""',
      'daemonize no',
      'logfile ""',
    ].join('\n'),
  );
  const child = spawn(redisServerPath, [configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await ready(child);
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
      dir.remove();
    },
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const read = (chunk: Buffer) => {
      out += chunk;
      if (!out.includes('Ready to accept connections')) return;
      // Keep draining its log so that a full pipe never blocks it, without keeping it.
      child.stdout!.off('data', read).resume();
      resolve();
    };
    child.stdout!.on('data', read);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
  });
}

/** Stock for SKU-0 … SKU-(itemCount−1) in WH-1, as stockd gets it through receipts. */
export async function loadStock(port: number, itemCount: number, quantity: number): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port });
  try {
    for (let start = 0; start < itemCount; start += 10_000) {
      const pipeline = redis.pipeline();
      for (let i = start; i < Math.min(itemCount, start + 10_000); i++) {
        pipeline.hset(stockKeyOf(`SKU-${i}`, 'WH-1'), 'total', quantity, 'reserved', 0);
      }
      const failed = (await pipeline.exec())?.find(([error]) => error !== null);
      if (failed) throw failed[0];
    }
  } finally {
    redis.disconnect();
  }
}
