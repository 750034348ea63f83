import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../bench/support/server-process.ts';
import { decodeSnapshot, encodeUncheckedSnapshot } from '../../src/actors/snapshot-codec.ts';
import { storeFileOf } from '../../src/checkpoint/data-dir.ts';
import { identityFileOf } from '../../src/checkpoint/identity-file.ts';
import {
  decodeChunk,
  encodeFrame,
  encodeUncheckedChunk,
  summarizeChunk,
} from '../../src/checkpoint/log-codec.ts';
import { openStore, type Store } from '../../src/checkpoint/store.ts';
import { ensureStoreIdentity } from '../../src/checkpoint/store-identity.ts';
import { decodeWalRecord, encodeUncheckedWalRecord } from '../../src/checkpoint/wal-codec.ts';
import { compactLeftoverWal } from '../../src/checkpoint/wal-compaction.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Damage done to data directories of a real store (written by real servers), then `stockd serve`
 * (and `stockd inspect`) started on each: a damaged one must end in one line naming the file and
 * what is wrong, exit code 65 — never a segfault or bus error, never a stack trace — and one of
 * the previous format must still start and serve.
 */
const main = new URL('../../src/main.ts', import.meta.url).pathname;
const serveArgs = ['--port', '0', '--workers', '2', '--partitions', '4'];
const env = { KAFKA_BROKERS: '', DATABASE_URL: '', STOCKD_DATA_DIR: '' };
const items = Array.from({ length: 12 }, (_, i) => `SKU-${i}`);
/** What every base directory holds: 10 units received per item, 1 held of each of the first 6. */
const heldOf = (sku: string) => (items.indexOf(sku) < 6 ? 1 : 0);

type Outcome =
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: string | null;
      readonly stderr: string;
    }
  | { readonly kind: 'served'; readonly levels: { totalQty: number; reservedQty: number } };

/** `stockd serve` on `dataDir`: how it exits, or (if it listens) the levels of SKU-3, then stops. */
async function serve(dataDir: string): Promise<Outcome> {
  const child = spawn(process.execPath, [main, 'serve', ...serveArgs, '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const listening = new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /"url":"(http:[^"]+)"/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => resolve(undefined));
  });
  const url = await listening;
  if (url === undefined) {
    const [code, signal] = await exited;
    return { kind: 'exited', code, signal, stderr };
  }
  const response = await fetch(`${url}/inventory?sku=SKU-3&warehouse-id=WH-1`);
  const body = (await response.json()) as { levels: { totalQty: number; reservedQty: number }[] };
  child.kill('SIGTERM');
  await exited;
  return { kind: 'served', levels: body.levels[0]! };
}

async function inspect(dataDir: string): Promise<Outcome & { kind: 'exited' }> {
  const child = spawn(
    process.execPath,
    [main, 'inspect', '--data-dir', dataDir, '--sku', 'SKU-3', '--warehouse-id', 'WH-1'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { kind: 'exited', code, signal, stderr };
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
}

/**
 * A real store: stock received and a few holds taken by one server, stopped cleanly (snapshots of
 * every partition, chunks), then more holds by a second one, killed (write-ahead records left).
 */
async function writeRealStore(dataDir: string): Promise<void> {
  const start = () => startServerProcess(main, ['serve', ...serveArgs, '--data-dir', dataDir], env);
  const first = await start();
  for (const sku of items) {
    await post(first.url, '/inventory/receipts', { sku, warehouseId: 'WH-1', quantity: 10 });
  }
  for (const sku of items.slice(0, 3)) {
    await post(first.url, '/inventory/reserve', {
      orderId: `a-${sku}`,
      sku,
      warehouseId: 'WH-1',
      quantity: 1,
    });
  }
  await first.stop();
  const second = await start();
  for (const sku of items.slice(3, 6)) {
    await post(second.url, '/inventory/reserve', {
      orderId: `b-${sku}`,
      sku,
      warehouseId: 'WH-1',
      quantity: 1,
    });
  }
  second.child.kill('SIGKILL');
  await once(second.child, 'exit');
}

/** Runs `change` on the directory's store through lmdb, so that its pages stay valid. */
async function withStore(dataDir: string, change: (store: Store) => Promise<void>): Promise<void> {
  const store = openStore(dataDir);
  try {
    await change(store);
  } finally {
    await store.close();
  }
}

function flipMiddleByte(value: Uint8Array): Uint8Array {
  const damaged = Uint8Array.from(value);
  damaged[damaged.byteLength >> 1]! ^= 0x10;
  return damaged;
}

type Damage = (dataDir: string, other: string) => Promise<void> | void;

const damages: Record<string, Damage> = {
  'garbage in place of stockd.mdb': (dataDir) => {
    const file = storeFileOf(dataDir);
    const garbage = Buffer.alloc(statSync(file).size);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
    writeFileSync(file, garbage);
  },
  'stockd.mdb cut to half its pages': (dataDir) => {
    const file = storeFileOf(dataDir);
    truncateSync(file, Math.floor(statSync(file).size / 8192) * 4096);
  },
  'stockd.mdb cut in the middle of a page': (dataDir) => {
    const file = storeFileOf(dataDir);
    truncateSync(file, statSync(file).size - 1000);
  },
  'stockd.mdb of zero bytes': (dataDir) => truncateSync(storeFileOf(dataDir), 0),
  'stockd.mdb missing beside its identity file': (dataDir) => rmSync(storeFileOf(dataDir)),
  "another store's stockd.mdb": (dataDir, other) => {
    cpSync(storeFileOf(other), storeFileOf(dataDir));
  },
  'an empty stockd.mdb beside the identity file': async (dataDir) => {
    rmSync(storeFileOf(dataDir));
    await withStore(dataDir, async () => {});
  },
  'one byte changed in a write-ahead record': (dataDir) =>
    withStore(dataDir, async (store) => {
      const { key, value } = [...store.wal.getRange({ limit: 1 })][0]!;
      await store.wal.put(key, flipMiddleByte(value));
    }),
  'one byte changed in a log chunk that recovery replays': (dataDir) =>
    withStore(dataDir, async (store) => {
      // The killed server's records become chunks, as the next start would make them.
      compactLeftoverWal(store);
      for (const { key, value } of store.log.getRange()) {
        const snapshot = decodeSnapshot(store.snapshots.get(key[0])!);
        if (key[1] <= snapshot.image.lastSeq) continue;
        await store.log.put(key, flipMiddleByte(value));
        return;
      }
      throw new Error('no chunk beyond a snapshot');
    }),
  // Of SKU-3's partition: the one `inspect` reads.
  'one byte changed in a snapshot': (dataDir) =>
    withStore(dataDir, async (store) => {
      const partition = partitionOf(itemKeyOf('SKU-3', 'WH-1'), 4);
      await store.snapshots.put(partition, flipMiddleByte(store.snapshots.get(partition)!));
    }),
};

/** What stderr must say for each damage: the file (or record) and what is wrong with it. */
const expected: Record<string, (dataDir: string) => RegExp> = {
  'garbage in place of stockd.mdb': (d) =>
    new RegExp(`${quote(storeFileOf(d))}: meta page 0 is damaged`),
  'stockd.mdb cut to half its pages': (d) =>
    new RegExp(`${quote(storeFileOf(d))}: it is cut short`),
  'stockd.mdb cut in the middle of a page': (d) =>
    new RegExp(`${quote(storeFileOf(d))}: the file is \\d+ bytes, not a whole number`),
  'stockd.mdb of zero bytes': (d) => new RegExp(`${quote(storeFileOf(d))}: the file is empty`),
  'stockd.mdb missing beside its identity file': (d) =>
    new RegExp(
      `${quote(storeFileOf(d))}: the data file is missing, but ${quote(identityFileOf(d))} says`,
    ),
  "another store's stockd.mdb": (d) =>
    new RegExp(
      `${quote(storeFileOf(d))}: the data file belongs to store \\w+ .*it is another store's data file`,
    ),
  'an empty stockd.mdb beside the identity file': (d) =>
    new RegExp(`${quote(storeFileOf(d))}: the data file holds no store`),
  'one byte changed in a write-ahead record': (d) =>
    new RegExp(
      `${quote(storeFileOf(d))}: write-ahead record \\[worker \\d, record \\d+\\] \\(database wal\\) fails its checksum`,
    ),
  'one byte changed in a log chunk that recovery replays': (d) =>
    new RegExp(
      `${quote(storeFileOf(d))}: log chunk \\[partition \\d, firstSeq \\d+\\] \\(database log\\) fails its checksum`,
    ),
  'one byte changed in a snapshot': (d) =>
    new RegExp(
      `${quote(storeFileOf(d))}: snapshot of partition \\d \\(database snapshots\\) fails its checksum`,
    ),
};

function quote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function expectClearRefusal(outcome: Outcome, message: RegExp): void {
  expect(outcome.kind).toBe('exited');
  const { code, signal, stderr } = outcome as Outcome & { kind: 'exited' };
  expect(signal, stderr).toBeNull();
  expect(code, stderr).toBe(65);
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^stockd: DATA_DAMAGED: /);
  expect(lines[0]).toMatch(message);
  expect(lines[0]).toContain('restore the data directory from a backup, or move it aside');
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a damaged data directory', () => {
  const dir = tempDir('damage');
  const base = join(dir.path, 'base');
  const other = join(dir.path, 'other');
  let copies = 0;
  const copyOfBase = () => {
    const copy = join(dir.path, `copy-${++copies}`);
    cpSync(base, copy, { recursive: true });
    return copy;
  };

  beforeAll(async () => {
    await writeRealStore(base);
    await withStore(other, async (store) => {
      await ensureStoreIdentity(store, 4, Date.now());
    });
  });
  afterAll(() => dir.remove());

  it('starts and serves while undamaged (the rows below damage copies of it)', async () => {
    expect(await serve(copyOfBase())).toEqual({
      kind: 'served',
      levels: expect.objectContaining({ totalQty: 10, reservedQty: heldOf('SKU-3') }),
    });
  });

  it.each(Object.keys(damages))('%s: serve refuses with exit 65, naming it', async (name) => {
    const dataDir = copyOfBase();
    await damages[name]!(dataDir, other);
    expectClearRefusal(await serve(dataDir), expected[name]!(dataDir));
  });

  it.each([
    'garbage in place of stockd.mdb',
    'stockd.mdb missing beside its identity file',
    'one byte changed in a snapshot',
  ])('%s: inspect says the same', async (name) => {
    const dataDir = copyOfBase();
    await damages[name]!(dataDir, other);
    expectClearRefusal(await inspect(dataDir), expected[name]!(dataDir));
  });

  it('of the previous format (no identity file, no checksums) starts, serves and gets its identity file', async () => {
    const dataDir = copyOfBase();
    await withStore(dataDir, async (store) => {
      for (const { key, value } of store.wal.getRange()) {
        await store.wal.put(key, encodeUncheckedWalRecord(decodeWalRecord(value)));
      }
      for (const { key, value } of store.log.getRange()) {
        const frame = encodeFrame(decodeChunk(value));
        await store.log.put(key, encodeUncheckedChunk([frame], summarizeChunk(value)));
      }
      for (const { key, value } of store.snapshots.getRange()) {
        const { image, takenAtMs } = decodeSnapshot(value);
        await store.snapshots.put(key, encodeUncheckedSnapshot(image, takenAtMs));
      }
    });
    const identityFile = identityFileOf(dataDir);
    const identity = JSON.parse(readFileSync(identityFile, 'utf8')) as { storeId: string };
    rmSync(identityFile);

    expect(await serve(dataDir)).toEqual({
      kind: 'served',
      levels: expect.objectContaining({ totalQty: 10, reservedQty: heldOf('SKU-3') }),
    });
    expect(existsSync(identityFile)).toBe(true);
    expect(JSON.parse(readFileSync(identityFile, 'utf8'))).toMatchObject(identity);
    // And the next start checks the data file against it.
    expect(await serve(dataDir)).toMatchObject({ kind: 'served' });
  });
});
