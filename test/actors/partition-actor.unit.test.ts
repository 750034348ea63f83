import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/actors/execute.ts';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/actors/snapshot-codec.ts';
import {
  decodeChunk,
  decodeFrame,
  encodeChunk,
  encodeFrame,
  summarizeChunk,
} from '../../src/checkpoint/log-codec.ts';
import type { LogEntry, LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import { expectPartitionInvariants, partitionContents } from '../support/invariants.ts';

const skus = ['A', 'B', 'C', 'D'];

const requestArbitrary = fc.oneof(
  fc.record({
    op: fc.constant('receive'),
    sku: fc.constantFrom(...skus),
    n: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({
    op: fc.constant('reserve'),
    sku: fc.constantFrom(...skus),
    n: fc.integer({ min: 1, max: 5 }),
    key: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({
    op: fc.constantFrom('release', 'confirm', 'expire', 'change'),
    pick: fc.nat(),
    n: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    op: fc.constant('status'),
    sku: fc.constantFrom(...skus),
    n: fc.integer({ min: 0, max: 1 }),
  }),
);
type Op = { op: string; sku?: string; n: number; key?: number; pick?: number };

function toRequest(op: Op, actor: PartitionActor): EngineRequest {
  const ids = [...actor.reservations()].map((r) => r.reservationId);
  const reservationId = ids[(op.pick ?? 0) % Math.max(1, ids.length)] ?? 'rsv-3-999';
  const item = { sku: op.sku ?? 'A', warehouseId: 'W1' };
  switch (op.op) {
    case 'receive':
      return { type: 'ReceiveStock', ...item, quantity: op.n };
    case 'reserve':
      return {
        type: 'Reserve',
        ...item,
        idempotencyKey: `o${op.key}`,
        quantity: op.n,
        ttlSeconds: 2,
      };
    case 'status':
      return { type: 'SetItemStatus', ...item, status: op.n === 0 ? 'ACTIVE' : 'INACTIVE' };
    case 'change':
      return { type: 'ChangeReservation', reservationId, quantity: op.n };
    case 'release':
      return { type: 'Release', reservationId };
    case 'confirm':
      return { type: 'Confirm', reservationId };
    default:
      return { type: 'Expire', reservationId };
  }
}

function runPartition(ops: Op[]) {
  const actor = new PartitionActor(3);
  const log: LoggedEvent[] = [];
  let nowMs = 10_000;
  for (const op of ops) {
    nowMs += 500;
    execute(actor, toRequest(op, actor), nowMs, (event) => log.push(event as LoggedEvent));
  }
  return { actor, log };
}

describe('a partition of several items', () => {
  const sequences = fc.array(requestArbitrary, { minLength: 1, maxLength: 150 });

  it('keeps every item within its invariants', () => {
    fc.assert(
      fc.property(sequences, (ops) => expectPartitionInvariants(runPartition(ops).actor)),
      { numRuns: 300 },
    );
  });

  it('is rebuilt exactly by replaying its log, in frames joined into chunks', () => {
    fc.assert(
      fc.property(
        sequences,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (ops, frameSize, framesPerChunk) => {
          const { actor, log } = runPartition(ops);
          const frames: Uint8Array[] = [];
          for (let i = 0; i < log.length; i += frameSize) {
            frames.push(encodeFrame(log.slice(i, i + frameSize)));
          }
          const replayed = new PartitionActor(3);
          for (let i = 0; i < frames.length; i += framesPerChunk) {
            const joined = frames.slice(i, i + framesPerChunk);
            const events = log.slice(i * frameSize, (i + framesPerChunk) * frameSize);
            const chunk = encodeChunk(joined, {
              eventCount: events.length,
              lastTimestampMs: events.at(-1)!.timestampMs,
            });
            expect(summarizeChunk(chunk)).toEqual({
              eventCount: events.length,
              lastTimestampMs: events.at(-1)!.timestampMs,
            });
            const decoded = decodeChunk(chunk);
            // Exactly the events decided, every field: the log loses nothing.
            expect(decoded).toEqual(events);
            for (const event of decoded) replayed.applyEntry(event);
          }
          expect(partitionContents(replayed)).toEqual(partitionContents(actor));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips through a snapshot and continues identically', () => {
    fc.assert(
      fc.property(sequences, sequences, (before, after) => {
        const { actor } = runPartition(before);
        const decoded = decodeSnapshot(encodeSnapshot(actor.image(), 42));
        expect(decoded.takenAtMs).toBe(42);
        const restored = PartitionActor.fromImage(decoded.image);
        expect(partitionContents(restored)).toEqual(partitionContents(actor));
        let nowMs = 1e9;
        for (const op of after) {
          nowMs += 1;
          const a = execute(actor, toRequest(op, actor), nowMs, () => {});
          const b = execute(restored, toRequest(op, restored), nowMs, () => {});
          expect(b).toEqual(a);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('links each item event to the item previous one', () => {
    const { log } = runPartition([
      { op: 'receive', sku: 'A', n: 5 },
      { op: 'receive', sku: 'B', n: 5 },
      { op: 'reserve', sku: 'A', n: 1, key: 1 },
    ]);
    expect(log.map((e) => [e.seq, e.sku, e.itemPreviousSeq])).toEqual([
      [1, 'A', 0],
      [2, 'B', 0],
      [3, 'A', 1],
    ]);
  });
});

describe('redelivered commands (same commandId)', () => {
  const receive = {
    type: 'ReceiveStock',
    sku: 'A',
    warehouseId: 'W1',
    quantity: 5,
    commandId: 'c-1',
  } as const;
  const reserve = {
    type: 'Reserve',
    sku: 'A',
    warehouseId: 'W1',
    idempotencyKey: 'o1',
    quantity: 2,
    ttlSeconds: 60,
    commandId: 'c-2',
  } as const;

  it('have no second effect and answer with what the first delivery did', () => {
    const actor = new PartitionActor(3);
    const log: LoggedEvent[] = [];
    const sink = (event: LogEntry) => log.push(event as LoggedEvent);
    execute(actor, receive, 1, sink);
    const first = execute(actor, reserve, 2, sink);
    expect(execute(actor, receive, 3, sink)).toMatchObject({
      ok: true,
      applied: false,
      duplicate: true,
      item: { totalQty: 5 },
    });
    expect(execute(actor, reserve, 4, sink)).toMatchObject({
      duplicate: true,
      reservation: {
        reservationId: (first as { reservation: { reservationId: string } }).reservation
          .reservationId,
      },
    });
    expect(log).toHaveLength(2);
    expect(log.map((e) => e.commandId)).toEqual(['c-1', 'c-2']);
  });

  it('are recognised after a snapshot and after replay', () => {
    const actor = new PartitionActor(3);
    const log: LoggedEvent[] = [];
    execute(actor, receive, 1, (event) => log.push(event as LoggedEvent));
    const restored = PartitionActor.fromImage(
      decodeSnapshot(encodeSnapshot(actor.image(), 1)).image,
    );
    expect(execute(restored, receive, 2, () => {})).toMatchObject({ duplicate: true });
    const replayed = new PartitionActor(3);
    for (const event of log) replayed.apply(event);
    expect(execute(replayed, receive, 2, () => {})).toMatchObject({ duplicate: true });
  });

  it('are remembered only within a bounded window', () => {
    const actor = new PartitionActor(3, { recentCommandsMax: 2 });
    for (let n = 1; n <= 3; n++) execute(actor, { ...receive, commandId: `c-${n}` }, n, () => {});
    expect(execute(actor, { ...receive, commandId: 'c-1' }, 9, () => {})).toMatchObject({
      applied: true,
    });
    expect(execute(actor, { ...receive, commandId: 'c-3' }, 9, () => {})).toMatchObject({
      duplicate: true,
    });
  });
});

describe('a commandId reused for another command', () => {
  const receive = {
    type: 'ReceiveStock',
    sku: 'A',
    warehouseId: 'W1',
    quantity: 5,
    commandId: 'c-1',
  } as const;

  // what comes second under the first command's commandId → the answer
  const cases: [string, EngineRequest, 'duplicate' | 'COMMAND_ID_REUSED'][] = [
    ['the same command', receive, 'duplicate'],
    [
      'the same command, fields in another order',
      { ...receive, sku: 'A', type: 'ReceiveStock' },
      'duplicate',
    ],
    ['another quantity', { ...receive, quantity: 6 }, 'COMMAND_ID_REUSED'],
    ['a reason added', { ...receive, reason: 'late' }, 'COMMAND_ID_REUSED'],
    ['another item of the partition', { ...receive, sku: 'B' }, 'COMMAND_ID_REUSED'],
    ['another warehouse', { ...receive, warehouseId: 'W2' }, 'COMMAND_ID_REUSED'],
    [
      'another type',
      { type: 'SetItemStatus', sku: 'A', warehouseId: 'W1', status: 'INACTIVE', commandId: 'c-1' },
      'COMMAND_ID_REUSED',
    ],
  ];

  it.each(cases)('%s → %s', (_, second, answer) => {
    const actor = new PartitionActor(3);
    execute(actor, receive, 1, () => {});
    const log: LoggedEvent[] = [];
    const result = execute(actor, second, 2, (event) => log.push(event as LoggedEvent));
    if (answer === 'duplicate') {
      expect(result).toMatchObject({ ok: true, applied: false, duplicate: true });
    } else {
      expect(result).toMatchObject({ ok: false, code: 'COMMAND_ID_REUSED' });
      expect((result as { message: string }).message).toContain(
        'its first command caused event 1 of partition 3',
      );
    }
    expect(log).toEqual([]);
    expect(actor.items.read(actor.items.indexOf('A|W1')!).totalQty).toBe(5);
  });

  it('is told from a redelivery after a snapshot and after replay of the log', () => {
    const actor = new PartitionActor(3);
    const log: LoggedEvent[] = [];
    execute(actor, receive, 1, (event) => log.push(event as LoggedEvent));
    const restored = PartitionActor.fromImage(
      decodeSnapshot(encodeSnapshot(actor.image(), 1)).image,
    );
    const replayed = new PartitionActor(3);
    for (const entry of decodeFrame(encodeFrame(log))) replayed.applyEntry(entry);
    for (const partition of [restored, replayed]) {
      expect(execute(partition, receive, 2, () => {})).toMatchObject({ duplicate: true });
      expect(execute(partition, { ...receive, quantity: 9 }, 2, () => {})).toMatchObject({
        code: 'COMMAND_ID_REUSED',
      });
    }
  });

  it('passes as a redelivery when remembered from before fingerprints, as it always did', () => {
    const actor = new PartitionActor(3);
    const log: LoggedEvent[] = [];
    execute(actor, receive, 1, (event) => log.push(event as LoggedEvent));
    // A snapshot of the previous release lists [commandId, seq] pairs…
    const image = actor.image();
    const older = PartitionActor.fromImage({ ...image, recentCommands: [['c-1', 1]] });
    // …and its log events carry no fingerprint.
    const replayed = new PartitionActor(3);
    for (const { commandFingerprint: _, ...event } of log) replayed.apply(event);
    for (const partition of [older, replayed]) {
      expect(execute(partition, { ...receive, quantity: 9 }, 2, () => {})).toMatchObject({
        duplicate: true,
      });
    }
  });
});
