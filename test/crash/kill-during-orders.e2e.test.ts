import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { workerOfPartition } from '../../src/partitioner/ownership.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { allOrders, expectOrderInvariants } from '../support/order-invariants.ts';
import { readAllPartitions } from '../support/read-partitions.ts';
import { tempDir } from '../support/temp-dir.ts';

const fixture = new URL('../fixtures/order-stream.ts', import.meta.url).pathname;
const itemCount = 60;
// Scarce enough that some orders fail (and are undone), plentiful enough that most are held.
const stockPerItem = 600;

interface Seen {
  /** orderId → the lines its acknowledged placement held (sku → quantity). */
  placed: Map<string, Map<string, number>>;
  /** orderId → the last acknowledged change, confirmation or cancellation: its status, version. */
  moved: Map<string, { status: string; version: number }>;
  /** orderIds with a request sent after the last acknowledgement (it may or may not have happened). */
  inFlight: Set<string>;
  failed: Set<string>;
  sentPlacements: Set<string>;
  /** Orders each restart's recovery found half done and finished, by the status they ended in. */
  recovered: Record<string, number>[];
}

/** Runs the stream until `acks` placements were acknowledged, then SIGKILLs it. */
function runAndKill(dataDir: string, acks: number, seen: Seen): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, dataDir, `${itemCount}`, `${stockPerItem}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let placements = 0;
    let killed = false;
    const stalled = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no progress: ${placements} of ${acks} acknowledgements`));
    }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const [kind, type, orderId, status, detail] = text.split(' ');
      if (kind === 'RECOVERED') {
        seen.recovered.push(JSON.parse(text.slice('RECOVERED '.length)));
        return;
      }
      if (kind === 'SENT') {
        seen.inFlight.add(orderId!);
        if (type === 'Place') seen.sentPlacements.add(orderId!);
        return;
      }
      if (kind === 'FAILED') {
        seen.inFlight.delete(orderId!);
        seen.failed.add(orderId!);
        return;
      }
      if (kind !== 'ACK') return;
      seen.inFlight.delete(orderId!);
      if (type === 'Place') {
        const lines = detail!.split(',').map((part) => part.split(':') as [string, string]);
        seen.placed.set(orderId!, new Map(lines.map(([sku, q]) => [sku, Number(q)])));
        expect(status).toBe('HELD');
        placements++;
      } else {
        seen.moved.set(orderId!, { status: status!, version: Number(detail) });
      }
      if (placements >= acks && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(stalled);
      if (signal === 'SIGKILL') resolve(placements);
      else reject(new Error(`stream exited early: code ${code} signal ${signal}`));
    });
  });
}

describe('SIGKILL in the middle of a stream of multi-line orders on two workers', () => {
  const dir = tempDir('crash-orders');
  afterAll(() => dir.remove());

  it('keeps every acknowledged order whole and leaves no order half held, across crashes', async () => {
    const seen: Seen = {
      placed: new Map(),
      moved: new Map(),
      inFlight: new Set(),
      failed: new Set(),
      sentPlacements: new Set(),
      recovered: [],
    };
    // Each kill lands at a different point; each restart first recovers the previous crash.
    for (const acks of [600, 250, 450, 350]) {
      expect(await runAndKill(dir.path, acks, seen)).toBeGreaterThanOrEqual(acks);
    }
    // The last crash, recovered as a start of the service recovers it, before serving.
    const engine = await startEngine(
      engineOptions({
        dataDir: dir.path,
        workerCount: 2,
        onFatal: (error) => {
          throw error;
        },
      }),
    );
    const orders = createOrders({
      engine,
      defaultTtlSeconds: 3_600,
      linesMax: 10,
      expiryIntervalMs: 200,
      expiryBatchMax: 1_000,
    });
    seen.recovered.push((await orders.recoverOrders()).finished);
    await engine.close();
    // The kills landed in the middle of sagas, which the next start finished or undid.
    const finished = seen.recovered.flatMap((counts) => Object.values(counts));
    expect(finished.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);

    const partitions = await readAllPartitions(dir.path);
    // Levels = Σ held lines; every order finished, fully held or not at all; no stray hold.
    expectOrderInvariants(partitions);
    const byId = new Map(allOrders(partitions).map((order) => [order.orderId, order]));
    for (const orderId of seen.sentPlacements) {
      const order = byId.get(orderId);
      // A placement whose answer never came may never have reached the log: then it is nothing.
      if (order === undefined) {
        expect(seen.placed.has(orderId), `acknowledged ${orderId}`).toBe(false);
        continue;
      }
      expect(['HELD', 'FAILED', 'CONFIRMED', 'CANCELLED'], orderId).toContain(order.status);
    }
    for (const [orderId, lines] of seen.placed) {
      const order = byId.get(orderId);
      expect(order, `acknowledged ${orderId}`).toBeDefined();
      const moved = seen.moved.get(orderId);
      if (moved === undefined && !seen.inFlight.has(orderId)) {
        // Acknowledged and never touched again: HELD with every line it was acknowledged with.
        expect(order!.status, orderId).toBe('HELD');
        expect(new Map(order!.lines.map((l) => [l.sku, l.quantity])), orderId).toEqual(lines);
      } else if (moved !== undefined && !seen.inFlight.has(orderId)) {
        expect(order!.status, orderId).toBe(moved.status);
        expect(order!.version, orderId).toBe(moved.version);
      } else {
        expect(['HELD', 'CONFIRMED', 'CANCELLED'], orderId).toContain(order!.status);
      }
    }
    for (const orderId of seen.failed) expect(byId.get(orderId)?.status, orderId).toBe('FAILED');
    expect(seen.placed.size).toBeGreaterThan(1_500);
    // Every order's lines were decided on both workers.
    for (const order of byId.values()) {
      const workers = new Set(
        order.lines.map((line) =>
          workerOfPartition(partitionOf(itemKeyOf(line.sku, line.warehouseId), 8), 2),
        ),
      );
      expect(workers.size, order.orderId).toBe(2);
    }
  });
});
