/**
 * stockd command line: `serve` (default), `project`, `import <csv>`, `inspect`, `api-key`;
 * `--help` for usage. Configuration comes from the environment and --flags (see config.ts and
 * the README).
 * Every failure a user can fix ends in one line on stderr and its own exit code
 * (cli/exit-codes.ts); only bugs print a stack.
 */
import { pino } from 'pino';
import { apiKeyCommand } from './cli/api-key-command.ts';
import { invocationOf } from './cli/command-line.ts';
import { exitCodes } from './cli/exit-codes.ts';
import { importCommand } from './cli/import-command.ts';
import { inspectCommand } from './cli/inspect-command.ts';
import { parseOptions } from './cli/parse-options.ts';
import { failureOf } from './cli/start-failure.ts';
import { type CommandName, usages } from './cli/usage.ts';
import { startProjection } from './compose/projection.ts';
import { startServer } from './compose/server.ts';
import { configFlagOptions, loadConfig } from './config/config.ts';
import { serveMetrics } from './metrics/metrics-server.ts';
import { createMetricsRegistry } from './metrics/registry.ts';

/** A command's exit code, or undefined for one that runs until a signal stops it. */
type Command = (argv: readonly string[]) => Promise<number | undefined>;

/** `--help`, else the flags as configuration (strict: an unknown flag is a usage error). */
function serviceConfig(command: 'serve' | 'project', argv: readonly string[]) {
  const { values } = parseOptions(argv, { options: configFlagOptions(), usage: usages[command] });
  if (values.help === true) return undefined;
  return loadConfig(process.env, argv);
}

const serve: Command = async (argv) => {
  const config = serviceConfig('serve', argv);
  if (config === undefined) {
    console.log(usages.serve);
    return exitCodes.ok;
  }
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
  return undefined;
};

/** `stockd project`: the PostgreSQL projector alone (metrics on HOST:PORT/metrics). */
const project: Command = async (argv) => {
  const config = serviceConfig('project', argv);
  if (config === undefined) {
    console.log(usages.project);
    return exitCodes.ok;
  }
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
  return projection.done.then(
    async () => {
      await endpoint.close();
      return exitCodes.ok;
    },
    async (error: unknown) => {
      logger.fatal({ err: error }, 'projection failed');
      await endpoint.close();
      // At once: a failed projector may leave Kafka's connections open.
      process.exit(exitCodes.internal);
    },
  );
};

const commands: Record<CommandName, Command> = {
  serve,
  project,
  import: importCommand,
  inspect: inspectCommand,
  'api-key': apiKeyCommand,
};

async function main(argv: readonly string[]): Promise<number | undefined> {
  const invocation = invocationOf(argv);
  if (invocation.kind === 'help') {
    console.log(invocation.text);
    return exitCodes.ok;
  }
  return commands[invocation.command](invocation.argv);
}

// A damaged record found while serving (the relay reading the log) crashes the process like a
// bug would, but it is the operator's to fix: one line and EX_DATAERR, as at start-up.
process.on('uncaughtExceptionMonitor', (error) => {
  const failure = failureOf(error);
  if (failure.exitCode !== exitCodes.dataDamaged) return;
  console.error(`stockd: ${failure.message}`);
  process.exit(failure.exitCode);
});

main(process.argv.slice(2)).then(
  (exitCode) => {
    if (exitCode !== undefined) process.exitCode = exitCode;
  },
  (error: unknown) => {
    const failure = failureOf(error);
    console.error(`stockd: ${failure.message}`);
    process.exit(failure.exitCode);
  },
);
