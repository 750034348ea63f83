import { Packr, Unpackr } from 'msgpackr';
import { checksumBytes, sealChecksum, verifyChecksum } from '../checkpoint/checksum.ts';
import { DataDamagedError } from '../checkpoint/data-damage.ts';
import { assert } from '../domain/assert.ts';
import type { Order } from '../domain/order.ts';
import type { QuantityChange, Reservation, ReservationStatus } from '../domain/reservation.ts';
import { noAdjustments } from '../domain/reservation.ts';
import { itemRowFields } from './item-table.ts';
import type { PartitionImage } from './partition-actor.ts';
import type { RecentCommandEntry } from './recent-commands.ts';

/**
 * A snapshot is a partition image: the item rows as one block of raw little-endian bytes (no
 * per-item encoding work) and reservations as flat tuples that name their item by row index.
 *
 * Recent commands are [commandId, seq, fingerprint] tuples, or [commandId, seq] when the
 * fingerprint is not known (snapshots written before fingerprints, commands replayed from such
 * logs). Both shapes are format 1: a reader that knows no fingerprint reads the first two
 * elements of either, and this one reads a pair as "fingerprint unknown", so old snapshots load
 * here and new ones load in the previous release.
 *
 * Orders (format 2) are plain maps: far fewer than reservations, and nested (lines, timeline).
 * Format 1 snapshots, from before orders, are still read.
 *
 * A stored snapshot is `0xC1 │ u32 CRC-32 of every byte after it │ the MessagePack map`, checked
 * whenever it is read. 0xC1 is the one byte MessagePack never uses, so a value without it is a
 * snapshot from before checksums (a bare map), still read unchecked. (So the release before
 * checksums cannot read snapshots written by this one: downgrading is not supported.)
 */
const snapshotFormatVersion = 2;
const readableFormatVersions: readonly number[] = [1, 2];
const statuses: readonly ReservationStatus[] = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'];

type ReservationTuple = [
  reservationId: string,
  itemIndex: number,
  idempotencyKey: string,
  quantity: number,
  requestedQuantity: number,
  ttlSeconds: number,
  status: number,
  createdAtMs: number,
  expiresAtMs: number,
  updatedAtMs: number,
  version: number,
  /** version, delta, quantity, atMs — repeated for each adjustment. */
  adjustments: number[],
  /** Format 2: the order this hold is a line of (absent: a client's own reserve). */
  orderId?: string,
];

interface EncodedSnapshot {
  formatVersion: number;
  partition: number;
  lastSeq: number;
  takenAtMs: number;
  keys: readonly string[];
  /** Row layout of actors/item-table.ts; its field count guards against layout changes. */
  rowFields: number;
  rows: Uint8Array;
  reservations: ReservationTuple[];
  recentCommands: RecentCommandEntry[];
  /** Format 2. */
  orders?: readonly Order[];
}

const checkedMarker = 0xc1;
const checksumAt = 1;
const headerBytes = 1 + checksumBytes;
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

export interface Snapshot {
  readonly image: PartitionImage;
  readonly takenAtMs: number;
}

export function encodeSnapshot(image: PartitionImage, takenAtMs: number): Uint8Array {
  const { items } = image;
  const indexOf = new Map(items.keys.map((key, index) => [key, index]));
  const encoded: EncodedSnapshot = {
    formatVersion: snapshotFormatVersion,
    partition: image.partition,
    lastSeq: image.lastSeq,
    takenAtMs,
    keys: items.keys,
    rowFields: itemRowFields,
    rows: bytesOf(items.rows),
    reservations: image.reservations.map((r) => toTuple(r, indexOf.get(r.itemKey)!)),
    recentCommands: [...image.recentCommands],
    orders: image.orders,
  };
  const packed = packr.pack(encoded);
  const sealed = new Uint8Array(headerBytes + packed.byteLength);
  sealed[0] = checkedMarker;
  sealed.set(packed, headerBytes);
  sealChecksum(sealed, checksumAt);
  return sealed;
}

/** As snapshots were stored before checksums (still read): for tests of that path. */
export function encodeUncheckedSnapshot(image: PartitionImage, takenAtMs: number): Uint8Array {
  return encodeSnapshot(image, takenAtMs).slice(headerBytes);
}

/** DATA_DAMAGED naming `where` if the snapshot's checksum does not match. */
export function decodeSnapshot(bytes: Uint8Array, where = 'a snapshot'): Snapshot {
  let packed = bytes;
  if (bytes[0] === checkedMarker) {
    verifyChecksum(bytes, checksumAt, where);
    packed = bytes.subarray(headerBytes);
  }
  let encoded: EncodedSnapshot;
  try {
    encoded = unpackr.unpack(packed) as EncodedSnapshot;
  } catch (error) {
    // Only an unchecked snapshot, or one whose marker byte is damaged, gets here.
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataDamagedError(`${where} cannot be decoded (${reason})`);
  }
  if (typeof encoded !== 'object' || encoded === null || !(encoded.rows instanceof Uint8Array)) {
    throw new DataDamagedError(`${where} cannot be decoded (not a snapshot)`);
  }
  assert(readableFormatVersions.includes(encoded.formatVersion), 'known snapshot format');
  assert(encoded.rowFields === itemRowFields, 'snapshot rows match the item table layout');
  const keys = encoded.keys;
  const image: PartitionImage = {
    partition: encoded.partition,
    lastSeq: encoded.lastSeq,
    items: { keys, rows: float64Of(encoded.rows) },
    reservations: encoded.reservations.map((tuple) => fromTuple(tuple, keys)),
    recentCommands: encoded.recentCommands,
    orders: encoded.orders ?? [],
  };
  return { image, takenAtMs: encoded.takenAtMs };
}

function toTuple(r: Reservation, itemIndex: number): ReservationTuple {
  const adjustments: number[] = [];
  for (const change of r.adjustments) {
    adjustments.push(change.version, change.delta, change.quantity, change.atMs);
  }
  const tuple: ReservationTuple = [
    r.reservationId,
    itemIndex,
    r.idempotencyKey,
    r.quantity,
    r.requestedQuantity,
    r.ttlSeconds,
    statuses.indexOf(r.status),
    r.createdAtMs,
    r.expiresAtMs,
    r.updatedAtMs,
    r.version,
    adjustments,
  ];
  if (r.orderId !== undefined) tuple.push(r.orderId);
  return tuple;
}

function fromTuple(tuple: ReservationTuple, keys: readonly string[]): Reservation {
  const [id, itemIndex, idempotencyKey, quantity, requested, ttl, status, created, expires] = tuple;
  const [, , , , , , , , , updatedAtMs, version, flat, orderId] = tuple;
  const adjustments: QuantityChange[] = [];
  for (let i = 0; i < flat.length; i += 4) {
    adjustments.push({
      version: flat[i]!,
      delta: flat[i + 1]!,
      quantity: flat[i + 2]!,
      atMs: flat[i + 3]!,
    });
  }
  return {
    reservationId: id,
    itemKey: keys[itemIndex]!,
    idempotencyKey,
    ...(orderId !== undefined && { orderId }),
    quantity,
    requestedQuantity: requested,
    ttlSeconds: ttl,
    status: statuses[status]!,
    createdAtMs: created,
    expiresAtMs: expires,
    updatedAtMs,
    version,
    adjustments: adjustments.length === 0 ? noAdjustments : adjustments,
  };
}

function bytesOf(array: Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies: decoded bytes are not 8-byte aligned in general. */
function float64Of(bytes: Uint8Array): Float64Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}
