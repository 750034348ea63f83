import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { expectPartitionInvariants } from '../support/invariants.ts';
import { readAllPartitions } from '../support/read-partitions.ts';
import { tempDir } from '../support/temp-dir.ts';

const fixture = new URL('../fixtures/reserve-stream.ts', import.meta.url).pathname;
const itemCount = 200;
// Enough that the stream never runs dry: it needs at most ~3 units per acknowledged reserve.
const stockPerItem = 500;

interface Acked {
  /** Keyed by reservation id, with the run (1…) that acknowledged it. */
  reserved: Map<string, { sku: string; quantity: number; run: number }>;
  settled: Map<string, { type: 'Confirm' | 'Release'; run: number }>;
  sent: Map<string, Set<string>>;
  /**
   * An id acknowledged by a reserve twice: a later run gave the seq of an acknowledged event to
   * another one, so the first was lost. (Books keyed by id would hide it: the second overwrites.)
   */
  reacknowledged: string[];
}

/** Runs the stream until `acks` reserve acknowledgements arrived, then SIGKILLs it. */
function runAndKill(dataDir: string, run: number, acks: number, into: Acked): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, dataDir, `${itemCount}`, `${stockPerItem}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let reserveAcks = 0;
    let killed = false;
    const stalled = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no progress: ${reserveAcks} of ${acks} acknowledgements`));
    }, 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [kind, type, id, sku, quantity] = line.split(' ');
      if (kind === 'SENT') {
        const sent = into.sent.get(id!) ?? new Set<string>();
        into.sent.set(id!, sent.add(type!));
      }
      if (kind !== 'ACK') return;
      if (type === 'Reserve') {
        const earlier = into.reserved.get(id!);
        if (earlier !== undefined) {
          into.reacknowledged.push(`${id} (run ${earlier.run}, again in run ${run})`);
        }
        into.reserved.set(id!, { sku: sku!, quantity: Number(quantity), run });
        reserveAcks++;
      } else {
        into.settled.set(id!, { type: type as 'Confirm' | 'Release', run });
      }
      if (reserveAcks >= acks && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    // 'close', not 'exit': every line the child printed is read before the next run starts.
    child.on('close', (code, signal) => {
      clearTimeout(stalled);
      if (signal === 'SIGKILL') resolve(reserveAcks);
      else reject(new Error(`stream exited early: code ${code} signal ${signal}`));
    });
  });
}

describe('SIGKILL in the middle of a reserve stream', () => {
  const dir = tempDir('crash');
  afterAll(() => dir.remove());

  it('keeps every acknowledged decision and every invariant, across five crashes', async () => {
    const acked: Acked = {
      reserved: new Map(),
      settled: new Map(),
      sent: new Map(),
      reacknowledged: [],
    };
    // Each kill lands at a different point of the stream; each restart recovers the previous crash.
    const stops = [2_500, 700, 1_900, 1_300, 3_100];
    for (const [index, acks] of stops.entries()) {
      expect(await runAndKill(dir.path, index + 1, acks, acked)).toBeGreaterThanOrEqual(acks);
    }
    expect(acked.reacknowledged, 'ids whose first acknowledged reserve was lost').toEqual([]);

    const partitions = await readAllPartitions(dir.path);
    const reservations = new Map(
      partitions.flatMap((actor) =>
        [...actor.reservations()].map((r) => [r.reservationId, r] as const),
      ),
    );
    for (const [id, { sku, quantity, run }] of acked.reserved) {
      const reservation = reservations.get(id);
      expect(reservation, `acknowledged ${id} (run ${run})`).toBeDefined();
      expect(reservation!.itemKey).toBe(itemKeyOf(sku, 'WH-1'));
      expect(reservation!.quantity).toBe(quantity);
      const settledBy = acked.settled.get(id);
      const allowed = settledBy
        ? [settledBy.type === 'Confirm' ? 'CONFIRMED' : 'RELEASED']
        : [
            'HELD',
            ...[...(acked.sent.get(id) ?? [])].map((t) =>
              t === 'Confirm' ? 'CONFIRMED' : 'RELEASED',
            ),
          ];
      const runs = `reserved in run ${run}${settledBy ? `, ${settledBy.type} in run ${settledBy.run}` : ''}`;
      expect(allowed, `${id} status (${runs})`).toContain(reservation!.status);
    }
    for (const actor of partitions) expectPartitionInvariants(actor);

    // Stock is conserved: what left the total is exactly what was confirmed.
    const confirmedBySku = new Map<string, number>();
    for (const reservation of reservations.values()) {
      if (reservation.status !== 'CONFIRMED') continue;
      confirmedBySku.set(
        reservation.itemKey,
        (confirmedBySku.get(reservation.itemKey) ?? 0) + reservation.quantity,
      );
    }
    for (const actor of partitions) {
      for (let index = 0; index < actor.items.size; index++) {
        const key = actor.items.keyAt(index);
        expect(actor.items.read(index).totalQty, key).toBe(
          stockPerItem - (confirmedBySku.get(key) ?? 0),
        );
      }
    }
  });

  it('serves again from the crashed directory and keeps going', async () => {
    const engine = await startEngine(
      engineOptions({
        dataDir: dir.path,
        workerCount: 2,
        onFatal: (error) => {
          throw error;
        },
      }),
    );
    try {
      const result = await engine.submit({
        type: 'ReceiveStock',
        sku: 'SKU-0',
        warehouseId: 'WH-1',
        quantity: 5,
      });
      expect(result).toMatchObject({ ok: true, applied: true });
      const reserve = await engine.submit({
        type: 'Reserve',
        sku: 'SKU-0',
        warehouseId: 'WH-1',
        idempotencyKey: 'after-crash',
        quantity: 1,
        ttlSeconds: 60,
      });
      expect(reserve).toMatchObject({ ok: true, applied: true });
    } finally {
      await engine.close();
    }
    for (const actor of await readAllPartitions(dir.path)) expectPartitionInvariants(actor);
  });
});
