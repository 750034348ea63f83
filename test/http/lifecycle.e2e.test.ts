import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;

function serve(env: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [main, 'serve'], {
    env: {
      ...process.env,
      KAFKA_BROKERS: '',
      DATABASE_URL: '',
      PORT: '0',
      STOCKD_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"url":"(http:[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the process', () => {
  const dir = tempDir('lifecycle');
  afterAll(() => dir.remove());

  it('drains and exits 0 on SIGTERM, and serves the same data after a restart', async () => {
    const first = serve({ STOCKD_DATA_DIR: dir.path });
    const url = await first.url;
    await fetch(`${url}/inventory/receipts`, json({ sku: 'S', warehouseId: 'W', quantity: 100 }));
    // Requests in flight while SIGTERM arrives are still answered.
    const inFlight = Array.from({ length: 50 }, (_, n) =>
      fetch(
        `${url}/inventory/reserve`,
        json({ sku: 'S', warehouseId: 'W', quantity: 1, idempotencyKey: `o-${n}` }),
      ),
    );
    const answered = Promise.all(
      inFlight.map((p) =>
        p.then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    expect(code).toBe(0);
    const statuses = await answered;
    const held = statuses.filter((status) => status === 201).length;

    const second = serve({ STOCKD_DATA_DIR: dir.path });
    const again = await second.url;
    const levels = (await (await fetch(`${again}/inventory?sku=S&warehouse-id=W`)).json()) as {
      levels: unknown[];
    };
    expect(levels.levels[0]).toMatchObject({ totalQty: 100, reservedQty: held });
    second.child.kill('SIGTERM');
    expect((await once(second.child, 'exit'))[0]).toBe(0);
  });

  it('refuses a bad configuration with a clear message and exit code 78', async () => {
    const child = spawn(process.execPath, [main, 'serve', '--port', 'eighty'], {
      env: { ...process.env, STOCKD_WORKERS: '0', STOCKD_DATA_DIR: dir.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(stderr).toContain('PORT=eighty: expected an integer from 0 to 65535');
    expect(stderr).toContain('STOCKD_WORKERS=0');
  });

  it('refuses a data directory another stockd is using', async () => {
    const first = serve({ STOCKD_DATA_DIR: dir.path });
    await first.url;
    const second = serve({ STOCKD_DATA_DIR: dir.path });
    await expect(second.url).rejects.toThrow(
      /exited with 75: stockd: the data directory .* is in use by another stockd process/,
    );
    first.child.kill('SIGTERM');
    await once(first.child, 'exit');
  });
});
