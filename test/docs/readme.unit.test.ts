import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../src/cli/exit-codes.ts';
import { loadConfig } from '../../src/config/config.ts';
import { errorCatalog } from '../../src/errors.ts';

/** The README is part of the contract: its tables must match the code. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every error code with its HTTP status, retriability and Retry-After, and no others', () => {
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (yes|no) \| (\d*) ?\|/gm)].map(
      ([, code, status, retriable, retryAfter]) => [
        code,
        Number(status),
        retriable === 'yes',
        retryAfter === '' ? undefined : Number(retryAfter),
      ],
    );
    const catalog = Object.entries(errorCatalog).map(([code, spec]) => [
      code,
      spec.httpStatus,
      spec.retriable,
      spec.retryAfterSeconds,
    ]);
    expect(rows.sort()).toEqual(catalog.sort());
  });

  it('documents every environment variable the configuration reads', () => {
    // The variables loadConfig actually looks up, with Kafka and PostgreSQL on so that every
    // section is read.
    const read = new Set<string>();
    const env: Record<string, string> = { KAFKA_BROKERS: 'b:9092', DATABASE_URL: 'postgres://x' };
    loadConfig(
      new Proxy(env, {
        get: (target, name) => {
          if (typeof name === 'string') read.add(name);
          return target[name as string];
        },
      }),
    );
    expect(read.size).toBeGreaterThan(60);
    expect([...read].filter((variable) => !readme.includes(`\`${variable}\``))).toEqual([]);
  });

  it('lists every exit code of the command line, and no others', () => {
    const start = readme.indexOf('## Command line');
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    const listed = [...section.matchAll(/^\| `(\d+)` \|/gm)].map(([, code]) => Number(code));
    expect(listed.sort((a, b) => a - b)).toEqual(Object.values(exitCodes).sort((a, b) => a - b));
  });

  it('gives the test command that CI runs', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
