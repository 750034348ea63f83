import { describe, expect, it } from 'vitest';
import type { Reserve } from '../../src/domain/commands.ts';
import { BatchDecoder, BatchEncoder } from '../../src/worker-protocol/batch-codec.ts';
import { ByteReader, ByteWriter } from '../../src/worker-protocol/byte-stream.ts';
import {
  leanRequestFields,
  readLeanReserveRequest,
  writeLeanReserveRequest,
} from '../../src/worker-protocol/request-wire.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';

const reserve = (n: number, extra: Partial<Reserve> = {}): Reserve => ({
  type: 'Reserve',
  sku: `SKU-${n}`,
  warehouseId: 'WH-1',
  idempotencyKey: `key-${n}`,
  quantity: 1 + n,
  ttlSeconds: 60 + n,
  ...extra,
});

function roundTrip(request: EngineRequest): { lean: boolean; back?: EngineRequest } {
  const out = new ByteWriter();
  out.u8(42); // something before it: the form starts where the writer is
  if (!writeLeanReserveRequest(out, request)) return { lean: false };
  const input = new ByteReader(out.copy());
  expect(input.u8()).toBe(42);
  return { lean: true, back: readLeanReserveRequest(input) };
}

describe('lean Reserve requests on the batch channel', () => {
  it('carry a Reserve exactly, its optional fields only where it has them', () => {
    const cases = [
      reserve(1),
      reserve(2, { commandId: 'cmd-2' }),
      reserve(3, { actor: 'checkout' }),
      reserve(4, { commandId: 'cmd-4', actor: 'batch-importer' }),
      reserve(5, { quantity: 2 ** 40, ttlSeconds: 0.5 }),
      // Either side of the reader's two ways of decoding (byte-stream.ts), and the longest.
      reserve(6, { idempotencyKey: 'k'.repeat(32), warehouseId: '' }),
      reserve(7, { idempotencyKey: 'k'.repeat(33) }),
      reserve(8, { idempotencyKey: 'x'.repeat(255) }),
    ];
    for (const request of cases) {
      const { lean, back } = roundTrip(request);
      expect(lean).toBe(true);
      expect(back).toStrictEqual(request);
    }
  });

  it('leave every other request to the packed form, writing nothing', () => {
    const others: EngineRequest[] = [
      { type: 'ReceiveStock', sku: 'A', warehouseId: 'W', quantity: 1 },
      reserve(1, { sku: 'SKU-é' }),
      reserve(2, { idempotencyKey: 'x'.repeat(256) }),
      { ...reserve(3), note: 'a field the form does not carry' } as unknown as EngineRequest,
      { ...reserve(4), quantity: '1' } as unknown as EngineRequest,
      { ...reserve(5), actor: 7 } as unknown as EngineRequest,
    ];
    for (const request of others) {
      const out = new ByteWriter();
      expect(writeLeanReserveRequest(out, request)).toBe(false);
      expect(out.length).toBe(0);
    }
    // Each field the form lists is one it carries: a Reserve with all of them goes lean.
    const full = reserve(9, { commandId: 'c', actor: 'a' });
    expect(Object.keys(full).sort()).toEqual([...leanRequestFields].sort());
    expect(roundTrip(full).back).toStrictEqual(full);
  });

  it('come back equal in batches mixing both forms, message after message', () => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    for (let batchId = 1; batchId <= 4; batchId++) {
      const requests: EngineRequest[] = [
        reserve(batchId),
        { type: 'Release', reservationId: `rsv-3-${batchId}` },
        reserve(batchId, { sku: `SKU-é${batchId}`, commandId: `c-${batchId}` }),
        reserve(batchId + 1, { actor: 'checkout' }),
        { type: 'ReceiveStock', sku: 'A', warehouseId: 'W', quantity: batchId, reason: 'r' },
      ];
      const batch = { batchId: 2 ** 40 + batchId, partitions: [1, 3, 4095, 0, 9], requests };
      expect(decoder.decodeRequests(encoder.encodeRequests(batch))).toStrictEqual(batch);
    }
  });
});
