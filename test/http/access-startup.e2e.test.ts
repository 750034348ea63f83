// Safe defaults of the real binary: without keys stockd serves loopback only and says so; a
// public HOST without keys refuses to start (exit 78) unless STOCKD_AUTH=off opts out; and the
// import command shows its key (--api-key or STOCKD_API_KEY), exiting 77 when it is refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { apiKeyHashOf } from '../../src/config/api-key-hash.ts';
import { tempDir } from '../support/temp-dir.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;
const dir = tempDir('access-startup');
afterAll(() => dir.remove());

const baseEnv = (name: string) => ({
  ...process.env,
  KAFKA_BROKERS: '',
  DATABASE_URL: '',
  STOCKD_API_KEYS: '',
  STOCKD_API_KEY: '',
  STOCKD_AUTH: '',
  PORT: '0',
  STOCKD_WORKERS: '1',
  STOCKD_PARTITIONS: '4',
  STOCKD_DATA_DIR: join(dir.path, name),
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const child = spawn(process.execPath, [main, ...args], {
    env,
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

interface Serving {
  readonly url: string;
  /** The JSON log lines so far. */
  lines(): { msg?: string; level: number }[];
}

const servers: ChildProcess[] = [];
afterEach(async () => {
  for (const child of servers.splice(0)) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

/** `stockd serve`, resolved once it logs `listening`. */
async function serve(env: Record<string, string | undefined>): Promise<Serving> {
  const child = spawn(process.execPath, [main, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(child);
  let out = '';
  const lines = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const listening = lines().find((line) => line.msg === 'listening');
      // The access line follows the listening one.
      if (listening !== undefined && lines().length > lines().indexOf(listening) + 1) {
        resolve(listening.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`stockd exited with ${code}: ${out}`)));
  });
  return { url, lines };
}

describe('starting without keys', () => {
  it('refuses a public HOST, naming the fix, with exit code 78 and no stack', async () => {
    const result = await run(['serve', '--host', '0.0.0.0'], baseEnv('public'));
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(
      /^stockd: invalid configuration:\n {2}HOST=0\.0\.0\.0 is reachable from other machines and no API key is configured: set STOCKD_API_KEYS or STOCKD_API_KEYS_FILE/,
    );
    expect(result.stderr).toContain('STOCKD_AUTH=off');
    expect(result.stderr).not.toContain('    at ');
  });

  it('serves a public HOST when STOCKD_AUTH=off says so, and warns', async () => {
    const server = await serve({ ...baseEnv('opt-out'), HOST: '0.0.0.0', STOCKD_AUTH: 'off' });
    expect(server.lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining('STOCKD_AUTH=off: no authentication'),
      }),
    );
    const local = server.url.replace(/\/\/[^:]+:/, '//127.0.0.1:');
    const receipt = await fetch(`${local}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'S', warehouseId: 'W', quantity: 1 }),
    });
    expect(receipt.status).toBe(200);
  });

  it('serves loopback without authentication, and says so', async () => {
    const server = await serve({ ...baseEnv('loopback'), HOST: '127.0.0.1' });
    expect(server.lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /^no API keys configured: serving on loopback \(127\.0\.0\.1\) only/,
        ),
      }),
    );
    expect((await fetch(`${server.url}/inventory?sku=S&warehouse-id=W`)).status).toBe(200);
  });
});

describe('import with a key', () => {
  const importer = 'stockd_test-importer-aW1wb3J0ZXIga2V5';
  const reader = 'stockd_test-reader-cmVhZGVyIGtleQ';
  const keys = [
    `importer sha256:${apiKeyHashOf(importer)} inventory:admin`,
    `reader sha256:${apiKeyHashOf(reader)} inventory:read`,
  ].join(';');
  const file = join(dir.path, 'receipts.csv');

  it('sends --api-key or STOCKD_API_KEY, and exits 77 when the server refuses', async () => {
    writeFileSync(file, 'sku,warehouseId,quantity\nIMP-1,WH-1,3\n');
    const server = await serve({ ...baseEnv('import'), HOST: '0.0.0.0', STOCKD_API_KEYS: keys });
    expect(server.lines()).toContainEqual(
      expect.objectContaining({ msg: 'API keys required', keys: ['importer', 'reader'] }),
    );
    const url = server.url.replace(/\/\/[^:]+:/, '//127.0.0.1:');
    const env = baseEnv('unused');
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['--api-key', importer], {}, 0, /done: 2 lines/],
      [[], { STOCKD_API_KEY: importer }, 0, /done: 2 lines/],
      [
        [],
        {},
        77,
        /refused the import \(UNAUTHENTICATED: .*\): pass a key with the scope inventory:admin \(--api-key, or STOCKD_API_KEY\)/,
      ],
      [
        ['--api-key', 'stockd_nobody'],
        {},
        77,
        /refused the import \(UNAUTHENTICATED: .*\): use a key of this server/,
      ],
      [
        ['--api-key', reader],
        {},
        77,
        /refused the import \(FORBIDDEN: .*needs inventory:admin.*\)/,
      ],
    ];
    for (const [args, extra, code, message] of cases) {
      const result = await run(['import', file, '--url', url, ...args], { ...env, ...extra });
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).not.toContain('stockd_');
    }
    const history = await fetch(`${url}/inventory/history?sku=IMP-1&warehouse-id=WH-1`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    const { events } = (await history.json()) as { events: { type: string; actor: string }[] };
    expect(events.map((event) => [event.type, event.actor])).toEqual([
      ['StockReceived', 'importer'],
      ['StockReceived', 'importer'],
    ]);
  });
});
