import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A container's life, for real: each start is `stockd serve` as PID 1 of a fresh PID namespace
 * (`unshare --pid --fork --mount-proc`, as a container runtime does), on one data directory.
 * Restarted after a SIGKILL, the new server has the very PID its killed predecessor recorded.
 */
const main = new URL('../../src/main.ts', import.meta.url).pathname;

interface Life {
  readonly child: ChildProcess;
  /** The `listening` log line ({url, pid}), or undefined if the process exited first. */
  readonly listening: Promise<{ url: string; pid: number } | undefined>;
  readonly exit: Promise<{ code: number | null; stderr: string }>;
}

const lives: ChildProcess[] = [];
afterEach(() => {
  for (const child of lives.splice(0)) child.kill('SIGKILL');
});

function startInFreshPidNamespace(dataDir: string): Life {
  const child = spawn(
    'unshare',
    [
      '--pid',
      '--fork',
      '--mount-proc',
      '--kill-child=SIGKILL',
      process.execPath,
      main,
      'serve',
      ...['--port', '0', '--data-dir', dataDir, '--workers', '1', '--partitions', '4'],
    ],
    {
      env: { ...process.env, KAFKA_BROKERS: '', DATABASE_URL: '', STOCKD_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  lives.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  const listening = new Promise<{ url: string; pid: number } | undefined>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; pid: number };
      if (entry.msg === 'listening') resolve({ url: entry.url!, pid: entry.pid });
    });
    void exit.then(() => resolve(undefined));
  });
  return { child, listening, exit };
}

/** The server's own process, as this namespace sees it: the only child of `unshare`. */
function serverPidOf(life: Life): number {
  const unsharePid = life.child.pid!;
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8');
  return Number(children.trim());
}

async function receive(url: string, quantity: number): Promise<void> {
  const response = await fetch(`${url}/inventory/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', quantity }),
  });
  expect(response.status).toBe(200);
}

async function totalQtyAt(url: string): Promise<number> {
  const response = await fetch(`${url}/inventory?sku=SKU-1&warehouse-id=WH-1`);
  const body = (await response.json()) as { levels: { totalQty: number }[] };
  return body.levels[0]!.totalQty;
}

describe('stockd restarted like a container', () => {
  it('comes back after a SIGKILL as the same PID 1, and refuses a second server meanwhile', async () => {
    const dir = tempDir('container');
    try {
      const first = startInFreshPidNamespace(dir.path);
      const firstServer = await first.listening;
      expect(firstServer?.pid).toBe(1);
      await receive(firstServer!.url, 7);

      // The kernel's OOM killer or `docker kill`: SIGKILL, no chance to clean up.
      process.kill(serverPidOf(first), 'SIGKILL');
      await first.exit;
      const recorded = JSON.parse(readFileSync(`${dir.path}/stockd.owner.json`, 'utf8'));
      expect(recorded.pid).toBe(1);

      const second = startInFreshPidNamespace(dir.path);
      const secondServer = await second.listening;
      expect(secondServer?.pid).toBe(1);
      expect(await totalQtyAt(secondServer!.url)).toBe(7);

      // A live holder: another server on the same directory is refused, with its own exit code.
      const intruder = startInFreshPidNamespace(dir.path);
      const refused = await intruder.exit;
      expect(refused.code).toBe(75);
      expect(refused.stderr).toContain(
        `stockd: the data directory ${dir.path} is in use by another stockd process (pid 1 on host`,
      );
      expect(refused.stderr).not.toContain('    at ');
      expect(await totalQtyAt(secondServer!.url)).toBe(7);
    } finally {
      dir.remove();
    }
  });

  it('lets exactly one of several servers started at once have the directory', async () => {
    const dir = tempDir('container-race');
    try {
      const racers = Array.from({ length: 3 }, () => startInFreshPidNamespace(dir.path));
      const outcomes = await Promise.all(
        racers.map(async (racer) => {
          const server = await racer.listening;
          return server === undefined ? (await racer.exit).code : 'serving';
        }),
      );
      expect(outcomes.filter((outcome) => outcome === 'serving')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 75)).toHaveLength(2);
    } finally {
      dir.remove();
    }
  });
});
