/**
 * stockd command line: `serve` (default), `import <csv>`, `inspect`. Configuration comes from
 * the environment and --flags (see config.ts and the README).
 */
import { pino } from 'pino';
import { importCommand } from './cli/import-command.ts';
import { inspectCommand } from './cli/inspect-command.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';

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

const exitWith =
  (run: (argv: readonly string[]) => Promise<number>) => async (argv: readonly string[]) => {
    process.exitCode = await run(argv);
  };

const commands: Record<string, (argv: readonly string[]) => Promise<void>> = {
  serve,
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
