import { describe, expect, it } from 'vitest';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  encodeUncheckedSnapshot,
} from '../../src/actors/snapshot-codec.ts';
import { DataDamagedError } from '../../src/checkpoint/data-damage.ts';
import {
  chunkEndsBefore,
  decodeChunk,
  encodeChunk,
  encodeFrame,
  encodeUncheckedChunk,
} from '../../src/checkpoint/log-codec.ts';
import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import {
  decodeWalRecord,
  encodeUncheckedWalRecord,
  encodeWalRecord,
} from '../../src/checkpoint/wal-codec.ts';

function receipt(partition: number, seq: number): LoggedEvent {
  return {
    type: 'StockReceived',
    partition,
    seq,
    sku: `SKU-${seq}`,
    warehouseId: 'W',
    itemPreviousSeq: 0,
    timestampMs: 1_000 * seq,
    totalDelta: 4,
    reservedDelta: 0,
    totalQty: 4,
    reservedQty: 0,
    status: 'ACTIVE',
    itemVersion: 1,
    quantity: 4,
  };
}

const events = [receipt(3, 1), receipt(3, 2), receipt(3, 3)];
const frame = Uint8Array.from(encodeFrame(events));
const entries = [
  { partition: 3, firstSeq: 1, eventCount: 3, lastTimestampMs: 3_000, frame },
  { partition: 9, firstSeq: 5, eventCount: 3, lastTimestampMs: 3_000, frame },
];
const summary = { eventCount: 3, lastTimestampMs: 3_000 };

function snapshotActor(): PartitionActor {
  const actor = new PartitionActor(3);
  for (const event of events) actor.applyEntry(event);
  return actor;
}

/** What decoding gives with one byte of `bytes` changed: the thrown error, or 'decoded'. */
function decodeFlipped(bytes: Uint8Array, at: number, decode: (b: Uint8Array) => unknown) {
  const damaged = Uint8Array.from(bytes);
  damaged[at]! ^= 0x5a;
  try {
    decode(damaged);
    return 'decoded';
  } catch (error) {
    return error;
  }
}

const codecs = [
  ['write-ahead record', encodeWalRecord(entries), (b: Uint8Array) => decodeWalRecord(b, 'W')],
  ['log chunk', encodeChunk([frame, frame], summary), (b: Uint8Array) => decodeChunk(b, 'C')],
  [
    'snapshot',
    encodeSnapshot(snapshotActor().image(), 42),
    (b: Uint8Array) => decodeSnapshot(b, 'S'),
  ],
] as const;

describe('checksummed records', () => {
  it.each(codecs)('a %s decodes as it was encoded', (_, bytes, decode) => {
    expect(() => decode(bytes)).not.toThrow();
  });

  it.each(codecs)(
    'a %s with any one byte changed is DATA_DAMAGED, naming it',
    (_, bytes, decode) => {
      for (let at = 0; at < bytes.byteLength; at++) {
        const outcome = decodeFlipped(bytes, at, decode);
        expect(outcome, `byte ${at}`).toBeInstanceOf(DataDamagedError);
        expect((outcome as Error).message).toMatch(/^DATA_DAMAGED: [WCS] /);
      }
    },
  );

  it('a log chunk is skipped by its summary only when its checksum holds', () => {
    const chunk = codecs[1][1];
    const end = 1 + summary.eventCount;
    expect(chunkEndsBefore(chunk, 1, end, 'C')).toBe(true);
    expect(chunkEndsBefore(chunk, 1, end - 1, 'C')).toBe(false);
    const damaged = Uint8Array.from(chunk);
    damaged[damaged.byteLength - 1]! ^= 0x5a;
    expect(() => chunkEndsBefore(damaged, 1, end, 'C')).toThrow(DataDamagedError);
    expect(chunkEndsBefore(encodeUncheckedChunk([frame], summary), 1, end, 'C')).toBe(true);
  });

  it('names the failed checksum', () => {
    expect(decodeFlipped(codecs[0][1], 40, codecs[0][2])).toMatchObject({
      damage: expect.stringMatching(/^W fails its checksum \(stored 0x[0-9a-f]{8}, its bytes give/),
    });
  });
});

describe('records written before checksums', () => {
  it('a write-ahead record is still read', () => {
    const old = encodeUncheckedWalRecord(entries);
    expect(new DataView(old.buffer).getUint16(0, true)).toBe(2);
    const decoded = decodeWalRecord(old).map((e) => ({ ...e, frame: Uint8Array.from(e.frame) }));
    expect(decoded).toEqual(entries);
  });

  it('a chunk is still read', () => {
    const old = encodeUncheckedChunk([frame], summary);
    expect(old[0]).toBe(0xc1);
    expect(decodeChunk(old)).toEqual(events);
  });

  it('a snapshot is still read', () => {
    const image = snapshotActor().image();
    const old = encodeUncheckedSnapshot(image, 7);
    expect(decodeSnapshot(old)).toEqual(decodeSnapshot(encodeSnapshot(image, 7)));
  });

  it('a write-ahead record of an unknown format is refused as damage', () => {
    const unknown = encodeWalRecord(entries);
    unknown[0] = 0x02;
    expect(() => decodeWalRecord(unknown, 'W')).toThrow('DATA_DAMAGED: W has an unknown format');
  });
});

describe('a DATA_DAMAGED error', () => {
  it('is recognised after crossing a thread, which keeps only its message', () => {
    const crossed = new Error(new DataDamagedError('f: cut short').message);
    expect(DataDamagedError.from(crossed)?.damage).toBe('f: cut short');
    expect(DataDamagedError.from(new Error('f: cut short'))).toBeUndefined();
  });
});
