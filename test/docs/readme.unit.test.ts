import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
    const source = readFileSync(new URL('../../src/config/config.ts', import.meta.url), 'utf8');
    const variables = new Set(
      [...source.matchAll(/'((?:STOCKD_|KAFKA_|DATABASE_)[A-Z_]+|HOST|PORT)'/g)].map((m) => m[1]!),
    );
    for (const variable of variables) expect(readme, variable).toContain(`\`${variable}\``);
  });

  it('gives the test command that CI runs', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
