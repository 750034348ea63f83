import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { OrderUpkeep } from '../../src/app/orders/orders.ts';
import { composeService, type ServiceOverrides } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { type ManualClock, manualClock } from '../../src/worker-protocol/clock.ts';
import { tempDir } from './temp-dir.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  /** The engine's time: it moves only when the test moves it. */
  readonly clock: ManualClock;
  /** The order coordinator: under the manual clock, orders expire when a test asks. */
  readonly orders: OrderUpkeep;
  close(): Promise<void>;
}

/** Where every test app's clock starts: a fixed instant, so runs do not depend on the date. */
export const testEpochMs = Date.parse('2030-01-01T00:00:00.000Z');

/**
 * stockd as production composes it (compose/server.ts), on a fresh data directory with one
 * worker and 8 partitions, not listening (use `inject`), on a manual clock: nothing expires,
 * is forgotten or snapshotted until the test advances the clock and runs housekeeping.
 * `env` is the configuration, as the process would read it.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
): Promise<TestApp> {
  const dir = tempDir('http');
  const config = loadConfig({
    STOCKD_DATA_DIR: dir.path,
    STOCKD_PARTITIONS: '8',
    STOCKD_WORKERS: '1',
    ...env,
  });
  const clock = manualClock(testEpochMs);
  const service = await composeService(config, pino({ level: 'silent' }), {
    clock,
    onFatal: (error) => {
      throw error;
    },
    ...overrides,
  });
  return {
    app: service.app,
    engine: service.engine,
    clock,
    orders: service.orders,
    async close() {
      await service.stop();
      dir.remove();
    },
  };
}
