/**
 * bench/commit — what one durable commit of a worker's write-ahead record costs, whatever the
 * requests in it: the floor under every batch. The same store and write as a worker's
 * (checkpoint/store.ts, `wal.putSync`: LMDB's two-phase sync, data pages then the meta page),
 * next to what the disk itself asks for in the same run:
 *   1. the disk: one pwrite of the record's size + fdatasync, on the same filesystem
 *   2. stockd's commit, records of several sizes
 *   3. the same commit without the meta page's own sync (LMDB's MDB_NOMETASYNC): not what stockd
 *      runs (a crash could lose the last acknowledged commit), but what the second sync costs
 * Each prints wall time and CPU (user + system, this process) per commit.
 *
 *   npm run bench:commit [-- --commits 2000]
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { open } from 'lmdb';
import { openStore } from '../src/checkpoint/store.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { heading, machine, ratio, row } from './support/report.ts';

const { values } = parseArgs({ options: { commits: { type: 'string', default: '2000' } } });
const commits = Number(values.commits);
const sizes = [1_024, 8_192, 32_768];

interface PerCommit {
  readonly wallUs: number;
  readonly cpuUs: number;
}

/** Runs `commit(i)` `commits` times after a warm-up; the mean wall and CPU time of one. */
function measure(commit: (i: number) => void): PerCommit {
  for (let i = 0; i < 100; i++) commit(i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 100; i < 100 + commits; i++) commit(i);
  const wallUs = ((performance.now() - started) * 1000) / commits;
  const { user, system } = process.cpuUsage(cpu);
  return { wallUs, cpuUs: (user + system) / commits };
}

const format = ({ wallUs, cpuUs }: PerCommit) =>
  `${Math.round(wallUs)} µs wall, ${Math.round(cpuUs)} µs CPU`;

/** Records of one size, keyed as a worker keys them. */
function walCommits(putSync: (key: [number, number], record: Uint8Array) => void, size: number) {
  const record = new Uint8Array(size).fill(7);
  return (i: number) => putSync([0, i], record);
}

machine();
heading(`${commits.toLocaleString('en-US')} commits each, one after another`);
const dir = tempDir('bench-commit');
try {
  const results = new Map<number, { disk: PerCommit; stockd: PerCommit; noMetaSync: PerCommit }>();
  for (const size of sizes) {
    const file = join(dir.path, `disk-${size}`);
    const fd = openSync(file, 'w');
    const bytes = new Uint8Array(size).fill(7);
    const disk = measure((i) => {
      writeSync(fd, bytes, 0, size, (i % 64) * size);
      fdatasyncSync(fd);
    });
    closeSync(fd);

    const store = openStore(join(dir.path, `stockd-${size}`));
    const stockd = measure(walCommits((key, record) => store.wal.putSync(key, record), size));
    await store.close();

    const root = open({
      path: join(dir.path, `nometasync-${size}`, 'data.mdb'),
      maxDbs: 8,
      overlappingSync: false,
      noMetaSync: true,
      compression: false,
    });
    const wal = root.openDB<Uint8Array, [number, number]>({ name: 'wal', encoding: 'binary' });
    const noMetaSync = measure(walCommits((key, record) => wal.putSync(key, record), size));
    await root.close();
    results.set(size, { disk, stockd, noMetaSync });
  }
  for (const [size, { disk, stockd, noMetaSync }] of results) {
    const kb = `${size / 1024} KiB`;
    row(`disk: pwrite ${kb} + fdatasync`, format(disk));
    row(`stockd's commit of a ${kb} record (two syncs)`, format(stockd));
    row(`  without the meta page's sync (not used)`, format(noMetaSync));
    row(
      "  stockd's commit vs the disk, wall / CPU",
      `${ratio(stockd.wallUs / disk.wallUs)} / ${ratio(stockd.cpuUs / disk.cpuUs)}`,
    );
  }
} finally {
  dir.remove();
}
