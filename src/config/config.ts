import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { limits } from '../domain/limits.ts';
import { readAccess } from './access-section.ts';
import { engineDefaults, orderDefaults } from './defaults.ts';
import { readEngine } from './engine-section.ts';
import { EnvReader, type Source } from './env-reader.ts';
import { flagOptionsOf, flagsAsEnv, flagsOf } from './flags.ts';
import { readKafka } from './kafka-section.ts';
import { readProjector, readProjectorPool, readReportsPool } from './postgres-section.ts';
import { relatedLimitProblems } from './related-limits.ts';
import type { Config } from './schema.ts';

export type { AccessSettings, ApiKeyEntry, Config, KafkaConfig } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/**
 * stockd's configuration: one schema (schema.ts), read once from the environment (and
 * `--flags`, which win), validated as a whole — each value in its range, related limits against
 * each other — then frozen. Every default carries its unit (defaults.ts). An unknown flag throws
 * util.parseArgs's ERR_PARSE_ARGS_UNKNOWN_OPTION (flags.ts).
 */
export function loadConfig(env: Source, argv: readonly string[] = []): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, flagsAsEnv(argv, configFlags()), problems);
  const config = readConfig(read);
  problems.push(...relatedLimitProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

let variables: readonly string[] | undefined;

/**
 * Every variable the configuration reads, found by reading it once from nothing: the schema is
 * the one list, and a variable added to it is a flag at once. (Every section is read in full
 * whatever the values, so nothing is missed.)
 */
export function configVariables(): readonly string[] {
  if (variables === undefined) {
    const read = new EnvReader({}, {}, []);
    readConfig(read);
    variables = Object.freeze([...read.variables]);
  }
  return variables;
}

/** Every flag of the configuration, with the variable it sets. */
export function configFlags(): ReadonlyMap<string, string> {
  return flagsOf(configVariables());
}

/** `util.parseArgs` options for every flag of the configuration. */
export function configFlagOptions() {
  return flagOptionsOf(configFlags());
}

function readConfig(read: EnvReader): Config {
  const projector = readProjector(read);
  return {
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 8080, 0, 65_535),
    dataDir: resolve(read.string('STOCKD_DATA_DIR', './data')),
    workers: read.integer('STOCKD_WORKERS', Math.max(1, availableParallelism() - 1), 1, 256),
    partitions: read.integer('STOCKD_PARTITIONS', engineDefaults.partitionCount, 1, 4_096),
    logLevel: read.oneOf('STOCKD_LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    defaultTtlSeconds: read.integer(
      'STOCKD_DEFAULT_TTL_SECONDS',
      orderDefaults.ttlSeconds,
      1,
      30 * 24 * 3600,
    ),
    http: {
      bodyLimitBytes: read.integer(
        'STOCKD_HTTP_BODY_LIMIT_BYTES',
        4 * 1024 * 1024,
        1_024,
        64 * 1024 * 1024,
      ),
      bulkItemsMax: read.integer('STOCKD_BULK_ITEMS_MAX', 10_000, 1, 100_000),
    },
    access: readAccess(read),
    engine: readEngine(read),
    orders: {
      linesMax: read.integer(
        'STOCKD_ORDER_LINES_MAX',
        orderDefaults.linesMax,
        1,
        limits.orderLinesMax,
      ),
    },
    kafka: readKafka(read),
    databaseUrl: read.optionalString('DATABASE_URL'),
    projector,
    projectorPool: readProjectorPool(read, projector.partitionsConcurrently),
    reportsPool: readReportsPool(read),
    shutdownGraceSeconds: read.integer('STOCKD_SHUTDOWN_GRACE_SECONDS', 30, 1, 3_600),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
