import type { Command } from './commands.ts';

/**
 * A command's fingerprint: a 32-bit FNV-1a hash of its canonical body — its type and its fields
 * in a fixed order, everything but its commandId and its actor (a redelivery is the same command
 * whoever sends it again). A partition remembers it with each recent
 * commandId (actors/recent-commands.ts), so that a redelivery (same commandId, same body) can be
 * told from a commandId reused for another command (same commandId, other body), as TigerBeetle
 * tells `exists` from `exists_with_different_amount`.
 *
 * It is stored in the log and in snapshots: the canonical form below must never change (the
 * test pins values). FNV-1a takes one byte per step; here lengths and integers go in as bytes
 * (big-endian 32-bit words; an integer as its high then its low half), strings as their length
 * then one whole UTF-16 code unit per step, an absent optional field as a 0 byte and a present
 * one as a 1 byte before its value. Two different bodies share a
 * fingerprint with odds of 1 in 2³², which would let that one reuse pass as a redelivery.
 */
export function commandFingerprint(command: Command): number {
  let hash = text(offsetBasis, command.type);
  switch (command.type) {
    case 'ReceiveStock':
      hash = optionalText(integer(item(hash, command), command.quantity), command.reason);
      break;
    case 'AdjustStock':
      hash = optionalInteger(item(hash, command), command.delta);
      hash = text(optionalInteger(hash, command.setTotal), command.reason);
      break;
    case 'SetItemStatus':
      hash = text(item(hash, command), command.status);
      break;
    case 'Reserve':
      hash = text(item(hash, command), command.idempotencyKey);
      hash = integer(integer(hash, command.quantity), command.ttlSeconds);
      break;
    case 'ChangeReservation':
      hash = integer(text(hash, command.reservationId), command.quantity);
      break;
    case 'Confirm':
    case 'Release':
    case 'Expire':
      hash = text(hash, command.reservationId);
      break;
  }
  return hash >>> 0;
}

/**
 * Whether a command under a remembered commandId is that command again. A fingerprint that is
 * not known (remembered from a log or snapshot written before fingerprints) counts as the same:
 * such a commandId is answered as a redelivery, as it always was.
 */
export function isSameCommand(remembered: number | undefined, fingerprint: number): boolean {
  return remembered === undefined || remembered === fingerprint;
}

const offsetBasis = 0x811c9dc5;
const prime = 0x01000193;
const absent = 0;
const present = 1;
const twoTo32 = 2 ** 32;

function byte(hash: number, value: number): number {
  return Math.imul(hash ^ (value & 0xff), prime);
}

function word(hash: number, value: number): number {
  return byte(byte(byte(byte(hash, value >>> 24), value >>> 16), value >>> 8), value);
}

/** Any safe integer, negative ones included: both halves are exact. */
function integer(hash: number, value: number): number {
  const high = Math.floor(value / twoTo32);
  return word(word(hash, high), value - high * twoTo32);
}

function text(hash: number, value: string): number {
  let mixed = word(hash, value.length);
  // A whole UTF-16 code unit per step, not two bytes: half the work, as well spread.
  for (let i = 0; i < value.length; i++) mixed = Math.imul(mixed ^ value.charCodeAt(i), prime);
  return mixed;
}

function item(hash: number, command: { sku: string; warehouseId: string }): number {
  return text(text(hash, command.sku), command.warehouseId);
}

function optionalText(hash: number, value: string | undefined): number {
  return value === undefined ? byte(hash, absent) : text(byte(hash, present), value);
}

function optionalInteger(hash: number, value: number | undefined): number {
  return value === undefined ? byte(hash, absent) : integer(byte(hash, present), value);
}
