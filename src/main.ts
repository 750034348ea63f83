/**
 * stockd command line: `serve` (default), `import <csv>`, `inspect`. Configuration comes from
 * the environment and --flags (see config.ts and the README).
 */
import { pino } from 'pino';
import { importCommand } from './cli/import-command.ts';
import { inspectCommand } from './cli/inspect-command.ts';
import { startProjection } from './compose/projection.ts';
import { startServer } from './compose/server.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { serveMetrics } from './metrics/metrics-server.ts';
import { createMetricsRegistry } from './metrics/registry.ts';

const [command = 'serve', ...rest] = process.argv.slice(2);

async function serve(argv: readonly string[]): Promise<void> {
  const config = loadConfig(process.env, argv);
  const logger = pino({ level: config.logLevel, name: 'stockd' });
  const server = await startServer(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining');
    const timer = setTimeout(() => {
      logger.error('shutdown grace period passed; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    timer.unref();
    server.stop().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** `stockd project`: the PostgreSQL projector alone (metrics on HOST:PORT/metrics). */
async function project(argv: readonly string[]): Promise<void> {
  const config = loadConfig(process.env, argv);
  const logger = pino({ level: config.logLevel, name: 'stockd' });
  const metrics = createMetricsRegistry();
  const projection = startProjection(config, logger, { metrics });
  const endpoint = await serveMetrics(metrics, { host: config.host, port: config.port });
  logger.info({ metrics: `${endpoint.url}/metrics` }, 'projecting');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping the projection');
      void projection.stop();
    });
  }
  await projection.done.then(
    () => endpoint.close(),
    async (error: unknown) => {
      logger.fatal({ err: error }, 'projection failed');
      await endpoint.close();
      process.exit(70);
    },
  );
}

const exitWith =
  (run: (argv: readonly string[]) => Promise<number>) => async (argv: readonly string[]) => {
    process.exitCode = await run(argv);
  };

const commands: Record<string, (argv: readonly string[]) => Promise<void>> = {
  serve,
  project,
  import: exitWith(importCommand),
  inspect: exitWith(inspectCommand),
};

const run = commands[command] ?? commands[`${command.startsWith('--') ? 'serve' : ''}`];
if (run === undefined) {
  console.error(
    `stockd: unknown command "${command}". Commands: ${Object.keys(commands).join(', ')}`,
  );
  process.exit(64);
}
run(command.startsWith('--') ? [command, ...rest] : rest).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`stockd: ${error.message}`);
    process.exit(78);
  }
  console.error('stockd: failed to start', error);
  process.exit(1);
});
