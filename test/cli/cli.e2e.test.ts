import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../bench/support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;

async function stockd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('explains its usage and unknown commands', async () => {
    expect((await stockd(['import'])).code).toBe(64);
    const unknown = await stockd(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown command');
  });
});
