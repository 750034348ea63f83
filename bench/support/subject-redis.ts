import { loadStock, startRedis } from './redis-instance.ts';
import { startServerProcess } from './server-process.ts';
import { type Subject, type SubjectSettings, wholeProcess } from './subject.ts';

/** redis-server of the bench's own (AOF, fsync every second) behind its fastify front. */
export async function startRedisBaseline(settings: SubjectSettings): Promise<Subject> {
  const redis = await startRedis();
  try {
    await loadStock(redis.port, settings.itemCount, settings.stockQuantity);
    const front = await startServerProcess(
      new URL('./redis-front.ts', import.meta.url).pathname,
      [],
      { REDIS_PORT: String(redis.port) },
    );
    return {
      name: 'redis',
      label: 'Redis 7 + Lua, AOF fsync every second',
      url: front.url,
      threads: async () => [
        ...wholeProcess(front.pid, 'fastify front'),
        ...wholeProcess(redis.pid, 'redis-server'),
      ],
      stop: async () => {
        await front.stop();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}
