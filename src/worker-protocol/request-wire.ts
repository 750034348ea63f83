import type { Reserve } from '../domain/commands.ts';
import type { ByteReader, ByteWriter } from './byte-stream.ts';
import type { EngineRequest } from './requests.ts';

/**
 * The common request — a Reserve — written field by field: a flags byte (which optional fields
 * follow), sku, warehouseId and idempotencyKey as ASCII, quantity and ttlSeconds as float64s
 * (exact), then commandId and actor where present. Packing it with msgpackr's records was a
 * fifth of the requesting thread's CPU on the engine's path (bench/engine under `perf`). Any
 * other request, or a Reserve with a field this form does not carry or a string that is not
 * short ASCII, is the caller's to write another way.
 */
const hasCommandId = 1;
const hasActor = 2;

/** The fields this form carries (a Reserve with any other own field is not written in it). */
export const leanRequestFields: readonly (keyof Reserve)[] = [
  'type',
  'sku',
  'warehouseId',
  'idempotencyKey',
  'quantity',
  'ttlSeconds',
  'commandId',
  'actor',
];

const carried: ReadonlySet<string> = new Set(leanRequestFields);

/** Writes `request` in the lean Reserve form; false, having written nothing, if it is not one. */
export function writeLeanReserveRequest(out: ByteWriter, request: EngineRequest): boolean {
  if (request.type !== 'Reserve') return false;
  for (const field in request) if (!carried.has(field)) return false;
  const { sku, warehouseId, idempotencyKey, quantity, ttlSeconds, commandId, actor } = request;
  if (typeof quantity !== 'number' || typeof ttlSeconds !== 'number') return false;
  const start = out.length;
  out.u8((commandId === undefined ? 0 : hasCommandId) | (actor === undefined ? 0 : hasActor));
  const written =
    isText(sku) &&
    out.shortAscii(sku) &&
    isText(warehouseId) &&
    out.shortAscii(warehouseId) &&
    isText(idempotencyKey) &&
    out.shortAscii(idempotencyKey) &&
    (commandId === undefined || (isText(commandId) && out.shortAscii(commandId))) &&
    (actor === undefined || (isText(actor) && out.shortAscii(actor)));
  if (!written) {
    out.rewind(start);
    return false;
  }
  out.f64(quantity);
  out.f64(ttlSeconds);
  return true;
}

/** Reads one request of the lean Reserve form, its optional fields only where they were sent. */
export function readLeanReserveRequest(input: ByteReader): Reserve {
  const flags = input.u8();
  const sku = input.shortAscii();
  const warehouseId = input.shortAscii();
  const idempotencyKey = input.shortAscii();
  const commandId = flags & hasCommandId ? input.shortAscii() : undefined;
  const actor = flags & hasActor ? input.shortAscii() : undefined;
  const quantity = input.f64();
  const ttlSeconds = input.f64();
  // One literal of the common shape; an optional field, where sent, is added to it.
  const request: Writable<Reserve> = {
    type: 'Reserve',
    sku,
    warehouseId,
    idempotencyKey,
    quantity,
    ttlSeconds,
  };
  if (commandId !== undefined) request.commandId = commandId;
  if (actor !== undefined) request.actor = actor;
  return request;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const isText = (value: unknown): value is string => typeof value === 'string';
