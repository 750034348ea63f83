import { assert } from '../domain/assert.ts';
import type { EventLine, OrderStatus } from '../domain/order.ts';
import { orderStatuses } from '../domain/order.ts';
import { type OrderEventType, orderEventTypes } from '../domain/order-events.ts';
import type { LoggedOrderEvent } from './logged-event.ts';

/**
 * The binary form of an order event inside an event frame (event-codec.ts), beside item events:
 *
 *   event:  u8 type (64 + n) │ u8 status │ u16 partition │ u16 optional-field mask │
 *           f64 seq, timestampMs, orderVersion, totalQuantity │ str orderId │
 *           optional fields in mask order │ u16 lines │ line…
 *   line:   u8 line mask │ str sku │ str warehouseId │ f64 quantity │
 *           [f64 delta] │ [str reservationId] │ [str code]
 *   str:    u16 bytes │ UTF-8
 *
 * Codes are stored as their text: the rejection list is ordered by precedence and may grow in
 * the middle, so its indices are not stable.
 */
const orderTypeBase = 64;
const fixedBytes = 1 + 1 + 2 + 2 + 4 * 8 + 2 + 2;

const optionalFields = [
  ['commandId', 'string'],
  ['customerId', 'string'],
  ['ttlSeconds', 'number'],
  ['expiresAtMs', 'number'],
  // Appended last: a mask written before it existed never has its bit set.
  ['actor', 'string'],
] as const;

/** Every field an order event may carry; a test checks that the domain's carry no other. */
export const encodedOrderEventFields: readonly string[] = [
  'type',
  'status',
  'partition',
  'seq',
  'timestampMs',
  'orderVersion',
  'totalQuantity',
  'orderId',
  'lines',
  ...optionalFields.map(([name]) => name),
];
export const encodedLineFields: readonly string[] = [
  'sku',
  'warehouseId',
  'quantity',
  'delta',
  'reservationId',
  'code',
];

const typeCodes = new Map<OrderEventType, number>(
  orderEventTypes.map((type, index) => [type, orderTypeBase + index]),
);

type Fields = Readonly<Record<string, unknown>>;

export function isOrderTypeCode(code: number): boolean {
  return code >= orderTypeBase;
}

/** An upper bound of the event's encoded size (3 bytes per UTF-16 unit covers any text). */
export function orderEventBytes(event: LoggedOrderEvent): number {
  const fields = event as unknown as Fields;
  let bytes = fixedBytes + 3 * event.orderId.length;
  for (const [name, kind] of optionalFields) {
    const value = fields[name];
    if (value !== undefined) bytes += kind === 'number' ? 8 : 2 + 3 * (value as string).length;
  }
  for (const line of event.lines) {
    bytes += 1 + 4 + 3 * (line.sku.length + line.warehouseId.length) + 8;
    if (line.delta !== undefined) bytes += 8;
    if (line.reservationId !== undefined) bytes += 2 + 3 * line.reservationId.length;
    if (line.code !== undefined) bytes += 2 + 3 * line.code.length;
  }
  return bytes;
}

export function writeOrderEvent(buffer: Buffer, start: number, event: LoggedOrderEvent): number {
  const fields = event as unknown as Fields;
  const typeCode = typeCodes.get(event.type);
  assert(typeCode !== undefined, () => `unknown order event type ${event.type}`);
  buffer[start] = typeCode;
  buffer[start + 1] = orderStatuses.indexOf(event.status);
  buffer.writeUInt16LE(event.partition, start + 2);
  let mask = 0;
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if (fields[optionalFields[bit]![0]] !== undefined) mask |= 1 << bit;
  }
  buffer.writeUInt16LE(mask, start + 4);
  let offset = start + 6;
  for (const value of [event.seq, event.timestampMs, event.orderVersion, event.totalQuantity]) {
    offset = buffer.writeDoubleLE(value, offset);
  }
  offset = writeText(buffer, offset, event.orderId);
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if ((mask & (1 << bit)) === 0) continue;
    const [name, kind] = optionalFields[bit]!;
    offset =
      kind === 'number'
        ? buffer.writeDoubleLE(fields[name] as number, offset)
        : writeText(buffer, offset, fields[name] as string);
  }
  offset = buffer.writeUInt16LE(event.lines.length, offset);
  for (const line of event.lines) offset = writeLine(buffer, offset, line);
  return offset;
}

function writeLine(buffer: Buffer, start: number, line: EventLine): number {
  const mask =
    (line.delta !== undefined ? 1 : 0) |
    (line.reservationId !== undefined ? 2 : 0) |
    (line.code !== undefined ? 4 : 0);
  buffer[start] = mask;
  let offset = writeText(buffer, start + 1, line.sku);
  offset = writeText(buffer, offset, line.warehouseId);
  offset = buffer.writeDoubleLE(line.quantity, offset);
  if (line.delta !== undefined) offset = buffer.writeDoubleLE(line.delta, offset);
  if (line.reservationId !== undefined) offset = writeText(buffer, offset, line.reservationId);
  if (line.code !== undefined) offset = writeText(buffer, offset, line.code);
  return offset;
}

function writeText(buffer: Buffer, offset: number, value: string): number {
  const length = buffer.write(value, offset + 2, 'utf8');
  buffer.writeUInt16LE(length, offset);
  return offset + 2 + length;
}

export function decodeOrderEvent(
  buffer: Buffer,
  start: number,
): { event: LoggedOrderEvent; offset: number } {
  const type = orderEventTypes[buffer[start]! - orderTypeBase];
  assert(type !== undefined, () => `unknown order event type code ${buffer[start]}`);
  const status: OrderStatus | undefined = orderStatuses[buffer[start + 1]!];
  assert(status !== undefined, () => `unknown order status code ${buffer[start + 1]}`);
  const mask = buffer.readUInt16LE(start + 4);
  const at = start + 6;
  const event: Record<string, unknown> = {
    type,
    partition: buffer.readUInt16LE(start + 2),
    seq: buffer.readDoubleLE(at),
    timestampMs: buffer.readDoubleLE(at + 8),
    status,
    orderVersion: buffer.readDoubleLE(at + 16),
    totalQuantity: buffer.readDoubleLE(at + 24),
  };
  const reader = { offset: at + 32 };
  event.orderId = readText(buffer, reader);
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if ((mask & (1 << bit)) === 0) continue;
    const [name, kind] = optionalFields[bit]!;
    event[name] = kind === 'number' ? readDouble(buffer, reader) : readText(buffer, reader);
  }
  const count = buffer.readUInt16LE(reader.offset);
  reader.offset += 2;
  const lines: EventLine[] = [];
  for (let i = 0; i < count; i++) lines.push(readLine(buffer, reader));
  event.lines = lines;
  return { event: event as unknown as LoggedOrderEvent, offset: reader.offset };
}

function readLine(buffer: Buffer, reader: { offset: number }): EventLine {
  const mask = buffer[reader.offset]!;
  reader.offset += 1;
  const line: Record<string, unknown> = {
    sku: readText(buffer, reader),
    warehouseId: readText(buffer, reader),
    quantity: readDouble(buffer, reader),
  };
  if ((mask & 1) !== 0) line.delta = readDouble(buffer, reader);
  if ((mask & 2) !== 0) line.reservationId = readText(buffer, reader);
  if ((mask & 4) !== 0) line.code = readText(buffer, reader);
  return line as unknown as EventLine;
}

function readText(buffer: Buffer, reader: { offset: number }): string {
  const length = buffer.readUInt16LE(reader.offset);
  const text = buffer.toString('utf8', reader.offset + 2, reader.offset + 2 + length);
  reader.offset += 2 + length;
  return text;
}

function readDouble(buffer: Buffer, reader: { offset: number }): number {
  const value = buffer.readDoubleLE(reader.offset);
  reader.offset += 8;
  return value;
}
