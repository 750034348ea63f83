import type { CommandType } from '../../domain/commands.ts';
import type { OrderRequestType } from '../../domain/order-requests.ts';
import { errorCatalog } from '../../errors.ts';
import { packWithIntegers } from '../../kafka/msgpack-integers.ts';
import { MessagePackWriter } from '../../kafka/msgpack-writer.ts';
import type { EngineResult, ItemLevels, ReservationView } from '../../worker-protocol/results.ts';
import { toCommandResult } from './command-result.ts';

/**
 * A command's result (command-result.ts) as MessagePack. The results of single-item commands —
 * an item's levels and a hold, or a refusal without issues or lines: nearly every result — are
 * written straight from the engine's result, field by field with their keys encoded once, where
 * building the result object and packing it generically cost the command ingress thread ~1.8 µs
 * a command. The map decodes to `toCommandResult`'s object, integers as integers (a test holds
 * the two equal for every kind of result); its fields come in a fixed order. Any other result
 * (orders, issues, lines, history, a field this writer does not know) is packed generically.
 */
export function packCommandResult(
  commandId: string,
  type: CommandType | OrderRequestType,
  result: EngineResult,
): Buffer {
  return (
    packedDirectly(commandId, type, result) ??
    packWithIntegers(toCommandResult(commandId, type, result))
  );
}

const writer = new MessagePackWriter();

const keyNames = [
  ...['commandId', 'type', 'ok', 'applied', 'duplicate', 'item', 'reservation'],
  ...['code', 'message', 'retriable'],
  ...['sku', 'warehouseId', 'totalQty', 'reservedQty', 'availableQty', 'status', 'version'],
  ...['updatedAtMs', 'lastEventSeq', 'reservationId', 'idempotencyKey', 'quantity'],
  ...['ttlSeconds', 'createdAtMs', 'expiresAtMs', 'orderId'],
] as const;
/** Each key as its MessagePack fixstr (every name is short ASCII). */
const keys = Object.fromEntries(
  keyNames.map((name) => [name, Uint8Array.from([0xa0 | name.length, ...Buffer.from(name)])]),
) as Record<(typeof keyNames)[number], Uint8Array>;

const itemFields = 9;
const reservationFields = 11;
/** Strings this long could need more than a str 16 (3 bytes per UTF-16 unit at most). */
const stringUnitsMax = Math.floor(0xffff / 3);
/** Keys, headers and the widest number of every field but the strings' payloads. */
const fixedBytesMax = 3 * 3 + 40 * (16 + 9);

/** The result written directly; undefined when it is not of the kinds written so. */
export function packedDirectly(
  commandId: string,
  type: string,
  result: EngineResult,
): Buffer | undefined {
  if (result.ok) {
    if (result.order !== undefined || result.orderWork !== undefined) return undefined;
    const { item, reservation } = result;
    if (item !== undefined && fieldCount(item) !== itemFields) return undefined;
    if (
      reservation !== undefined &&
      (reservation.history !== undefined ||
        fieldCount(reservation) !== reservationFields + (reservation.orderId === undefined ? 0 : 1))
    ) {
      return undefined;
    }
    const strings =
      commandId.length +
      type.length +
      (item === undefined ? 0 : item.sku.length + item.warehouseId.length + item.status.length) +
      (reservation === undefined ? 0 : reservationStringUnits(reservation));
    const w = writer.begin(fixedBytesMax + 3 * strings);
    w.string(keys.commandId, commandId);
    w.string(keys.type, type);
    w.boolean(keys.ok, true);
    w.boolean(keys.applied, result.applied);
    if (result.duplicate === true) w.boolean(keys.duplicate, true);
    if (item !== undefined) writeItem(w, item);
    if (reservation !== undefined) writeReservation(w, reservation);
    return w.finish();
  }
  if (result.issues !== undefined || result.lines !== undefined) return undefined;
  const spec = errorCatalog[result.code];
  const message = result.message ?? spec.message;
  if (message.length > stringUnitsMax) return undefined;
  const w = writer.begin(
    fixedBytesMax + 3 * (commandId.length + type.length + result.code.length + message.length),
  );
  w.string(keys.commandId, commandId);
  w.string(keys.type, type);
  w.boolean(keys.ok, false);
  w.string(keys.code, result.code);
  w.string(keys.message, message);
  w.boolean(keys.retriable, spec.retriable);
  return w.finish();
}

function writeItem(w: MessagePackWriter, item: ItemLevels): void {
  const map = w.mapField(keys.item);
  w.string(keys.sku, item.sku);
  w.string(keys.warehouseId, item.warehouseId);
  w.number(keys.totalQty, item.totalQty);
  w.number(keys.reservedQty, item.reservedQty);
  w.number(keys.availableQty, item.availableQty);
  w.string(keys.status, item.status);
  w.number(keys.version, item.version);
  w.number(keys.updatedAtMs, item.updatedAtMs);
  w.number(keys.lastEventSeq, item.lastEventSeq);
  w.endMap(map);
}

function writeReservation(w: MessagePackWriter, reservation: ReservationView): void {
  const map = w.mapField(keys.reservation);
  w.string(keys.reservationId, reservation.reservationId);
  w.string(keys.sku, reservation.sku);
  w.string(keys.warehouseId, reservation.warehouseId);
  w.string(keys.idempotencyKey, reservation.idempotencyKey);
  w.number(keys.quantity, reservation.quantity);
  w.string(keys.status, reservation.status);
  w.number(keys.ttlSeconds, reservation.ttlSeconds);
  w.number(keys.createdAtMs, reservation.createdAtMs);
  w.number(keys.expiresAtMs, reservation.expiresAtMs);
  w.number(keys.updatedAtMs, reservation.updatedAtMs);
  w.number(keys.version, reservation.version);
  if (reservation.orderId !== undefined) w.string(keys.orderId, reservation.orderId);
  w.endMap(map);
}

function reservationStringUnits(reservation: ReservationView): number {
  return (
    reservation.reservationId.length +
    reservation.sku.length +
    reservation.warehouseId.length +
    reservation.idempotencyKey.length +
    reservation.status.length +
    (reservation.orderId?.length ?? 0)
  );
}

/** Own fields holding a value (an undefined one is no field: generic packing would differ). */
function fieldCount(object: object): number {
  let count = 0;
  for (const key in object) {
    if ((object as Record<string, unknown>)[key] === undefined) return -1;
    count++;
  }
  return count;
}
