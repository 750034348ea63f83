import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { engineDefaults } from './defaults.ts';

/**
 * stockd's configuration: one schema, read once from the environment (and `--flags`, which win),
 * validated as a whole, then frozen. Every default carries its unit.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly workers: number;
  /** Partitions of a new data directory (an existing one keeps its own). */
  readonly partitions: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hold time of a reservation that does not ask for one (seconds). */
  readonly defaultTtlSeconds: number;
  readonly http: {
    /** Largest request body (bytes). */
    readonly bodyLimitBytes: number;
    /** Most items in one bulk receipt. */
    readonly bulkItemsMax: number;
  };
  readonly engine: {
    readonly batchRequestsMax: number;
    readonly inFlightBatchesMax: number;
    readonly queuedRequestsMax: number;
    readonly snapshotEveryEvents: number;
    readonly snapshotIntervalMs: number;
    readonly reservationRetentionMs: number;
    readonly logRetentionMs: number;
    readonly recentCommandsMax: number;
  };
  /** Absent when KAFKA_BROKERS is unset: no command topic, no replication. */
  readonly kafka: KafkaConfig | undefined;
  /** Absent when DATABASE_URL is unset: no projection, no reports. */
  readonly databaseUrl: string | undefined;
  /** Seconds SIGTERM waits for in-flight work before giving up. */
  readonly shutdownGraceSeconds: number;
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly consumerGroup: string;
  readonly topics: {
    readonly commands: string;
    readonly results: string;
    readonly deadLetters: string;
    readonly events: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

type Source = Readonly<Record<string, string | undefined>>;

/** Reads `--name value` and `--name=value` flags as their environment variables (e.g. --port → PORT). */
export function flagsAsEnv(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) continue;
    env[flagToEnv[name] ?? name.toUpperCase().replaceAll('-', '_')] = value;
  }
  return env;
}

const flagToEnv: Record<string, string> = {
  host: 'HOST',
  port: 'PORT',
  'data-dir': 'STOCKD_DATA_DIR',
  workers: 'STOCKD_WORKERS',
  partitions: 'STOCKD_PARTITIONS',
  'kafka-brokers': 'KAFKA_BROKERS',
  'database-url': 'DATABASE_URL',
  'log-level': 'STOCKD_LOG_LEVEL',
};

export function loadConfig(env: Source, argv: readonly string[] = []): Config {
  const source: Source = { ...env, ...flagsAsEnv(argv) };
  const problems: string[] = [];
  const read = new Reader(source, problems);
  const hourMs = 3_600_000;
  const brokers = read.list('KAFKA_BROKERS');
  const config: Config = {
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
    defaultTtlSeconds: read.integer('STOCKD_DEFAULT_TTL_SECONDS', 900, 1, 30 * 24 * 3600),
    http: {
      bodyLimitBytes: read.integer(
        'STOCKD_HTTP_BODY_LIMIT_BYTES',
        4 * 1024 * 1024,
        1_024,
        64 * 1024 * 1024,
      ),
      bulkItemsMax: read.integer('STOCKD_BULK_ITEMS_MAX', 10_000, 1, 100_000),
    },
    engine: {
      batchRequestsMax: read.integer(
        'STOCKD_BATCH_MAX',
        engineDefaults.batchRequestsMax,
        1,
        65_536,
      ),
      inFlightBatchesMax: read.integer(
        'STOCKD_IN_FLIGHT_BATCHES_MAX',
        engineDefaults.inFlightBatchesMax,
        1,
        64,
      ),
      queuedRequestsMax: read.integer(
        'STOCKD_QUEUE_MAX',
        engineDefaults.queuedRequestsMax,
        1,
        10_000_000,
      ),
      snapshotEveryEvents: read.integer(
        'STOCKD_SNAPSHOT_EVERY_EVENTS',
        engineDefaults.housekeeping.snapshotEveryEvents,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
      snapshotIntervalMs: 1_000 * read.integer('STOCKD_SNAPSHOT_INTERVAL_SECONDS', 60, 1, 86_400),
      reservationRetentionMs:
        hourMs * read.integer('STOCKD_RESERVATION_RETENTION_HOURS', 24, 1, 24 * 365),
      logRetentionMs: hourMs * read.integer('STOCKD_LOG_RETENTION_HOURS', 168, 0, 24 * 3650),
      recentCommandsMax: read.integer(
        'STOCKD_RECENT_COMMANDS_MAX',
        engineDefaults.housekeeping.recentCommandsMax,
        0,
        10_000_000,
      ),
    },
    kafka:
      brokers.length === 0
        ? undefined
        : {
            brokers,
            clientId: read.string('STOCKD_KAFKA_CLIENT_ID', 'stockd'),
            consumerGroup: read.string('STOCKD_KAFKA_GROUP', 'stockd'),
            topics: {
              commands: read.string('STOCKD_TOPIC_COMMANDS', 'inventory-commands'),
              results: read.string('STOCKD_TOPIC_RESULTS', 'inventory-command-results'),
              deadLetters: read.string('STOCKD_TOPIC_DLQ', 'inventory-commands-dlq'),
              events: read.string('STOCKD_TOPIC_EVENTS', 'inventory-events'),
            },
          },
    databaseUrl: read.optionalString('DATABASE_URL'),
    shutdownGraceSeconds: read.integer('STOCKD_SHUTDOWN_GRACE_SECONDS', 30, 1, 3_600),
  };
  // Related limits, checked against each other.
  if (config.engine.queuedRequestsMax < config.engine.batchRequestsMax) {
    problems.push('STOCKD_QUEUE_MAX must be at least STOCKD_BATCH_MAX');
  }
  if (config.http.bulkItemsMax > config.engine.queuedRequestsMax) {
    problems.push('STOCKD_BULK_ITEMS_MAX must not exceed STOCKD_QUEUE_MAX');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

class Reader {
  readonly #source: Source;
  readonly #problems: string[];

  constructor(source: Source, problems: string[]) {
    this.#source = source;
    this.#problems = problems;
  }

  optionalString(name: string): string | undefined {
    const value = this.#source[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.optionalString(name) ?? fallback;
  }

  list(name: string): string[] {
    const value = this.optionalString(name);
    if (value === undefined) return [];
    return value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.optionalString(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      this.#problems.push(`${name}=${text}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const text = this.optionalString(name);
    if (text === undefined) return fallback;
    if (!allowed.includes(text as T)) {
      this.#problems.push(`${name}=${text}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return text as T;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
