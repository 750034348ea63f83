import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createInventory } from '../../src/app/inventory.ts';
import { loadConfig } from '../../src/config/config.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions, type HousekeepingSettings } from '../../src/engine/engine-options.ts';
import { buildApp } from '../../src/ingress/http/app.ts';
import { registerEngineMetrics } from '../../src/metrics/engine-metrics.ts';
import { createMetricsRegistry } from '../../src/metrics/registry.ts';
import { tempDir } from './temp-dir.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** A real engine on a fresh data directory and the HTTP app over it, not listening (inject). */
export async function startTestApp(
  env: Record<string, string> = {},
  housekeeping: Partial<HousekeepingSettings> = {},
): Promise<TestApp> {
  const dir = tempDir('http');
  const config = loadConfig({ STOCKD_DATA_DIR: dir.path, STOCKD_PARTITIONS: '8', ...env });
  const engine = await startEngine(
    engineOptions({
      dataDir: config.dataDir,
      workerCount: 1,
      partitionCount: config.partitions,
      ...config.engine,
      housekeeping: { ...config.engine, expiryIntervalMs: 50, ...housekeeping },
      onFatal: (error) => {
        throw error;
      },
    }),
  );
  const metrics = createMetricsRegistry();
  registerEngineMetrics(metrics, engine);
  const app = await buildApp({
    inventory: createInventory({ engine, defaultTtlSeconds: config.defaultTtlSeconds }),
    engine,
    config,
    metrics,
    logger: pino({ level: 'silent' }),
    ready: () => true,
  });
  return {
    app,
    engine,
    async close() {
      await app.close();
      await engine.close();
      dir.remove();
    },
  };
}
