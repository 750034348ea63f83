import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../bench/support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real binary; with `readOnly`, in a mount namespace where that directory is read-only. */
async function stockd(
  args: string[],
  { env = {}, readOnly }: { env?: Record<string, string>; readOnly?: string } = {},
): Promise<Run> {
  const [file, argv] =
    readOnly === undefined
      ? [process.execPath, [main, ...args]]
      : [
          'unshare',
          [
            '--mount',
            '--propagation',
            'private',
            'sh',
            '-c',
            'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"',
            readOnly,
            process.execPath,
            main,
            ...args,
          ],
        ];
  const child = spawn(file, argv, {
    env: { ...process.env, KAFKA_BROKERS: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('the stockd command line', () => {
  const dir = tempDir('cli');
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  beforeAll(async () => {
    server = await startServerProcess(main, ['serve'], {
      PORT: '0',
      STOCKD_DATA_DIR: join(dir.path, 'data'),
      KAFKA_BROKERS: '',
      DATABASE_URL: '',
    });
  });
  afterAll(async () => {
    await server.stop();
    dir.remove();
  });

  it('imports a CSV of receipts through the server, reporting bad lines and exiting 1', async () => {
    const file = join(dir.path, 'receipts.csv');
    const lines = ['sku,warehouseId,quantity,reason'];
    for (let i = 0; i < 2_500; i++) lines.push(`SKU-${i % 100},WH-1,2,initial load`);
    lines.push('SKU-X,WH-1,lots', 'SKÜ,WH-1,1');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await stockd(['import', file, '--url', server.url, '--batch', '500']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2502: quantity "lots" is not a positive integer');
    expect(result.stderr).toContain('line 2503: sku must contain');
    const levels = (await (
      await fetch(`${server.url}/inventory?sku=SKU-42&warehouse-id=WH-1`)
    ).json()) as {
      levels: { totalQty: number }[];
    };
    expect(levels.levels[0]!.totalQty).toBe(50);
  });

  it('inspects an item straight from the data directory', async () => {
    await fetch(`${server.url}/inventory/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sku: 'SKU-7',
        warehouseId: 'WH-1',
        quantity: 3,
        idempotencyKey: 'o-1',
      }),
    });
    const result = await stockd([
      'inspect',
      '--data-dir',
      join(dir.path, 'data'),
      '--sku',
      'SKU-7',
      '--warehouse-id',
      'WH-1',
      '--events',
      '5',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.levels).toMatchObject({ totalQty: 50, reservedQty: 3, availableQty: 47 });
    expect(report.heldReservations).toHaveLength(1);
    expect(report.recentEvents.at(-1).type).toBe('StockReserved');
    expect(report.recentEvents).toHaveLength(5);
  });

  // name, how it is run, exit code, where the message goes, what it says.
  type Case = [string, () => Promise<Run>, number, 'stdout' | 'stderr', RegExp];
  const serverPort = () => new URL(server.url).port;
  const cases: Case[] = [
    ['--help', () => stockd(['--help']), 0, 'stdout', /^Usage: stockd \[command\] \[options\]/],
    ['help import', () => stockd(['help', 'import']), 0, 'stdout', /^Usage: stockd import <file/],
    ['serve --help', () => stockd(['serve', '--help']), 0, 'stdout', /^Usage: stockd serve/],
    ['project -h', () => stockd(['project', '-h']), 0, 'stdout', /^Usage: stockd project/],
    ['import --help', () => stockd(['import', '--help']), 0, 'stdout', /^Usage: stockd import/],
    ['inspect --help', () => stockd(['inspect', '--help']), 0, 'stdout', /^Usage: stockd inspect/],
    [
      'an unknown flag',
      () => stockd(['--prot', '19105']),
      64,
      'stderr',
      /^stockd: unknown option --prot \(did you mean --port\?\)\n\nUsage: stockd serve/,
    ],
    [
      'a flag without its value',
      () => stockd(['serve', '--port']),
      64,
      'stderr',
      /^stockd: Option '--port <value>' argument missing\n\nUsage: stockd serve/,
    ],
    [
      'an unknown command',
      () => stockd(['frobnicate']),
      64,
      'stderr',
      /^stockd: unknown command "frobnicate"\n\nUsage: stockd \[command\]/,
    ],
    [
      'import without a file',
      () => stockd(['import']),
      64,
      'stderr',
      /^stockd: which CSV file to import\?\n\nUsage: stockd import/,
    ],
    [
      'an invalid setting',
      () => stockd(['serve', '--port', 'abc']),
      78,
      'stderr',
      /^stockd: invalid configuration:\n {2}PORT=abc: expected an integer from 0 to 65535\n$/,
    ],
    [
      'a data directory that is a file',
      async () => {
        writeFileSync(join(dir.path, 'a-file'), 'not a directory');
        return stockd(['serve', '--port', '0', '--data-dir', join(dir.path, 'a-file')]);
      },
      73,
      'stderr',
      /^stockd: \S+\/a-file is a file, not a directory: point STOCKD_DATA_DIR .* at a directory/,
    ],
    [
      'a read-only data directory',
      async () => {
        const readOnly = join(dir.path, 'read-only');
        mkdirSync(readOnly, { recursive: true });
        return stockd(['serve', '--port', '0', '--data-dir', readOnly], { readOnly });
      },
      77,
      'stderr',
      /^stockd: cannot write the data directory \S+\/read-only: it is on a read-only file system: make it writable/,
    ],
    [
      'a data directory in use',
      () => stockd(['serve', '--port', '0', '--data-dir', join(dir.path, 'data')]),
      75,
      'stderr',
      /^stockd: the data directory \S+\/data is in use by another stockd process \(pid \d+ on host .*\): stop that process first/,
    ],
    [
      'a port in use',
      () => stockd(['serve', '--port', serverPort(), '--data-dir', join(dir.path, 'other')]),
      69,
      'stderr',
      /^stockd: cannot listen on 127\.0\.0\.1:\d+: the address is already in use; set HOST and PORT/,
    ],
    [
      'a missing CSV file',
      () => stockd(['import', join(dir.path, 'missing.csv'), '--url', server.url]),
      66,
      'stderr',
      /^stockd: cannot read \S+\/missing\.csv: no such file; check the path\n$/,
    ],
    [
      'an unreachable server',
      async () => {
        const file = join(dir.path, 'one.csv');
        writeFileSync(file, 'SKU-1,WH-1,1\n');
        return stockd(['import', file, '--url', `http://127.0.0.1:${await closedPort()}`]);
      },
      69,
      'stderr',
      /^stockd: cannot reach the stockd server at http:\/\/127\.0\.0\.1:\d+ \(connection refused\): start it, or point --url/,
    ],
    [
      'inspect on a missing data directory',
      () =>
        stockd([
          'inspect',
          '--data-dir',
          join(dir.path, 'nowhere'),
          '--sku',
          'A',
          '--warehouse-id',
          'B',
        ]),
      66,
      'stderr',
      /^stockd: there is no data directory at \S+\/nowhere: check --data-dir/,
    ],
    [
      'inspect on a directory without a store',
      () => {
        mkdirSync(join(dir.path, 'empty'), { recursive: true });
        return stockd([
          'inspect',
          '--data-dir',
          join(dir.path, 'empty'),
          '--sku',
          'A',
          '--warehouse-id',
          'B',
        ]);
      },
      66,
      'stderr',
      /^stockd: \S+\/empty holds no stockd data \(no stockd\.mdb\): check --data-dir/,
    ],
  ];

  it.each(cases)(
    'answers %s with its exit code and a message, never a stack',
    async (_, run, code, stream, message) => {
      const result = await run();
      expect(result[stream]).toMatch(message);
      expect(result.code).toBe(code);
      expect(`${result.stdout}${result.stderr}`).not.toContain('    at ');
    },
  );

  it('leaves a missing data directory alone when inspecting it', () => {
    expect(existsSync(join(dir.path, 'nowhere'))).toBe(false);
    expect(existsSync(join(dir.path, 'empty', 'stockd.mdb'))).toBe(false);
  });
});
