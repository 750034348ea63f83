// vitest globalSetup for the `int` and `e2e` projects: provides Kafka and PostgreSQL once per
// run, in the main process, and hands their addresses to the test files through
// `inject('kafkaBrokers')` / `inject('databaseUrl')`. The returned function is the teardown.
//
// A globalSetup cannot provision lazily (it runs before vitest knows which tests need what),
// so the services are chosen by env STOCKD_TEST_SERVICES:
//   unset or `all`      Kafka and PostgreSQL
//   `kafka`, `postgres` a comma-separated subset
//   `none`              nothing (the injected values are then undefined)
// Each service follows its own precedence (KAFKA_BROKERS / DATABASE_URL env, then a Docker
// engine, then a local broker/server): see kafka-broker.ts and postgres.ts.
// vitest runs a project's globalSetup only when that project has test files to run.
import type { TestProject } from 'vitest/node';
import { provideKafka } from './kafka-broker.ts';
import { providePostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Comma-separated host:port list. */
    kafkaBrokers: string;
    databaseUrl: string;
  }
}

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown | undefined> {
  const wanted = (process.env.STOCKD_TEST_SERVICES ?? 'all')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  if (wanted.includes('none')) {
    return undefined;
  }
  const all = wanted.length === 0 || wanted.includes('all');

  const teardowns: Teardown[] = [];
  const teardown: Teardown = async () => {
    const results = await Promise.allSettled(teardowns.map((stop) => stop()));
    const failures = results.filter((r) => r.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((f) => f.reason),
        'stopping test services failed',
      );
    }
  };

  // Start both at once; if one fails, stop whatever did start before rethrowing.
  const started = await Promise.allSettled([
    all || wanted.includes('kafka')
      ? provideKafka().then((kafka) => {
          teardowns.push(kafka.stop);
          project.provide('kafkaBrokers', kafka.brokers.join(','));
        })
      : undefined,
    all || wanted.includes('postgres')
      ? providePostgres().then((db) => {
          teardowns.push(db.stop);
          project.provide('databaseUrl', db.url);
        })
      : undefined,
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await teardown().catch(() => {});
    throw failed.reason;
  }
  return teardown;
}
