import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { projectorDefaults } from '../../src/config/defaults.ts';
import { MigrationError } from '../../src/postgres/migration-files.ts';
import { retryWhileRetriable } from '../../src/postgres/retry.ts';
import { isRetriable } from '../../src/postgres/retry-policy.ts';
import { backoffMs } from '../../src/retry/backoff.ts';

const databaseError = (code: string) =>
  Object.assign(new pg.DatabaseError('x', 1, 'error'), { code });
const systemError = (code: string) => Object.assign(new Error(code), { code });

describe('which failures are retried', () => {
  it.each([
    ['admin shutdown (server restarting)', databaseError('57P01'), true],
    ['cannot connect now (server starting)', databaseError('57P03'), true],
    ['crash shutdown', databaseError('57P02'), true],
    ['database refusing connections (ALLOW_CONNECTIONS false)', databaseError('55000'), true],
    ['read-only (a standby before failover)', databaseError('25006'), true],
    ['connection failure', databaseError('08006'), true],
    ['too many connections', databaseError('53300'), true],
    ['serialization failure', databaseError('40001'), true],
    ['deadlock', databaseError('40P01'), true],
    ['connection refused', systemError('ECONNREFUSED'), true],
    ['broken pipe', systemError('EPIPE'), true],
    ['connection lost mid-query', new Error('Connection terminated unexpectedly'), true],
    ['pool exhausted', new Error('timeout exceeded when trying to connect'), true],
    ['a retriable cause', new MigrationError('m', { cause: systemError('ECONNRESET') }), true],
    ['unique violation', databaseError('23505'), false],
    ['undefined table', databaseError('42P01'), false],
    ['syntax error (bad SQL)', databaseError('42601'), false],
    ['database does not exist (configuration)', databaseError('3D000'), false],
    ['authentication failed (configuration)', databaseError('28P01'), false],
    ['data exception', databaseError('22003'), false],
    ['a bug', new TypeError('connection terminated'), false],
    ['anything else', new Error('nope'), false],
    ['not an error', 'connection terminated', false],
  ])('%s → %s', (_name, error, retriable) => {
    expect(isRetriable(error)).toBe(retriable);
  });
});

describe('backoff', () => {
  const policy = projectorDefaults.backoff;

  it('doubles from 100 ms up to 10 s by default, with half of each step jittered', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, 0))).toEqual([50, 100, 200, 400]);
    expect(backoffMs(30, policy, 1)).toBe(10_000);
    expect(backoffMs(1_000, policy, 0)).toBe(5_000);
  });

  it('retries retriable failures until success, and gives up when told', async () => {
    const waits: number[] = [];
    let calls = 0;
    const outcome = await retryWhileRetriable(
      async () => {
        if (++calls < 4) throw systemError('ECONNREFUSED');
        return 'ok';
      },
      policy,
      { shouldContinue: () => true, wait: async (ms) => void waits.push(ms), onRetry: () => {} },
      () => 0,
    );
    expect(outcome).toEqual({ done: true, value: 'ok' });
    expect(waits).toEqual([50, 100, 200]);

    let allowed = 2;
    const stopped = await retryWhileRetriable(
      async () => {
        throw systemError('ECONNREFUSED');
      },
      policy,
      { shouldContinue: () => allowed-- > 0, wait: async () => {}, onRetry: () => {} },
    );
    expect(stopped).toEqual({ done: false });
  });

  it('throws what retrying cannot fix, at once', async () => {
    let calls = 0;
    const failing = retryWhileRetriable(
      async () => {
        calls++;
        throw databaseError('42P01');
      },
      policy,
      { shouldContinue: () => true, wait: async () => {}, onRetry: () => {} },
    );
    await expect(failing).rejects.toMatchObject({ code: '42P01' });
    expect(calls).toBe(1);
  });
});
