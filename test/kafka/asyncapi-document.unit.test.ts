// docs/asyncapi.yaml on its own: valid AsyncAPI 3.0 for the official parser, and naming what the
// code names — topics, event types, client command types, codes, the schema version — so that
// neither can change without the other. test/kafka/asyncapi-conformance.int.test.ts holds
// what a running stockd sends to it.
import { beforeAll, describe, expect, it } from 'vitest';
import { commandConsumerDefaults } from '../../src/config/defaults.ts';
import type { Command } from '../../src/domain/commands.ts';
import { eventTypes } from '../../src/domain/events.ts';
import { orderEventTypes } from '../../src/domain/order-events.ts';
import type { OrderRequestType } from '../../src/domain/order-requests.ts';
import { rejectionCodes } from '../../src/domain/rejections.ts';
import { errorCatalog } from '../../src/errors.ts';
import { createCommandDecoder } from '../../src/ingress/kafka/command-codec.ts';
import { wireEventSchemaVersion } from '../../src/kafka/wire-event.ts';
import { type LoadedDocument, loadDocument } from './asyncapi-document.ts';

const valueBytesMax = commandConsumerDefaults.valueBytesMax;
const decoder = createCommandDecoder({ valueBytesMax, defaultTtlSeconds: 600, linesMax: 10 });

/** Every command type a client may send: tsc refuses this table when the code adds one. */
const clientCommandTypes: Record<
  | Exclude<Command['type'], 'Expire' | 'HoldLine' | 'SetLineQuantity' | 'SettleLine'>
  | OrderRequestType,
  true
> = {
  ReceiveStock: true,
  AdjustStock: true,
  SetItemStatus: true,
  Reserve: true,
  ChangeReservation: true,
  Confirm: true,
  Release: true,
  PlaceOrder: true,
  ChangeOrder: true,
  ConfirmOrder: true,
  CancelOrder: true,
};

describe('the AsyncAPI document', () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await loadDocument();
  });

  it('is valid AsyncAPI 3.0: no error and no warning of the official parser', () => {
    const serious = doc.diagnostics.filter((d) => d.severity <= 1);
    expect(serious.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(doc.document?.version()).toBe('3.0.0');
  });

  it('has the four topics, with their default names', () => {
    const addresses = doc
      .document!.channels()
      .all()
      .map((c) => [c.id(), c.address()]);
    expect(Object.fromEntries(addresses)).toEqual({
      commands: 'inventory-commands',
      results: 'inventory-command-results',
      deadLetters: 'inventory-commands-dlq',
      events: 'inventory-events',
    });
  });

  it('names exactly the client command types of the code', () => {
    const types = Object.keys(clientCommandTypes).sort();
    expect([...doc.channels.get('commands')!.keys()].sort()).toEqual(types);
    const schemas = (doc.raw as { components: { schemas: { CommandType: { enum: string[] } } } })
      .components.schemas;
    expect([...schemas.CommandType.enum].sort()).toEqual(types);
  });

  it('names exactly the event types of the code, item and order events', () => {
    expect([...doc.channels.get('events')!.keys()].sort()).toEqual(
      [...eventTypes, ...orderEventTypes].sort(),
    );
    for (const type of [...eventTypes, ...orderEventTypes]) {
      const message = doc.channels.get('events')!.get(type)!;
      expect(JSON.stringify(message.schema), type).toContain(`"const":"${type}"`);
    }
  });

  it('and the codes, statuses and schema version of the code', () => {
    const schemas = (doc.raw as { components: { schemas: Record<string, { enum?: unknown[] }> } })
      .components.schemas;
    expect(schemas.ErrorCode!.enum).toEqual(Object.keys(errorCatalog));
    expect(schemas.RejectionCode!.enum).toEqual([...rejectionCodes]);
    expect(doc.document!.info().version().split('.')[0]).toBe(`${wireEventSchemaVersion}`);
    expect(JSON.stringify(schemas.EventHeaders)).toContain(`"const":"${wireEventSchemaVersion}"`);
  });

  it('accepts what the codec accepts, for these samples at the edges', () => {
    const commands = doc.channels.get('commands')!;
    const at = { sku: 'S'.repeat(64), warehouseId: 'w.1:2/3-4_5' };
    const line = { sku: 'A', warehouseId: 'W', quantity: 0 };
    for (const good of [
      { type: 'ReceiveStock', commandId: '~'.repeat(128), ...at, quantity: 1_000_000_000 },
      { type: 'ReceiveStock', commandId: 'c', ...at, quantity: 1, reason: 'ä ✓', actor: 'a.b' },
      { type: 'AdjustStock', commandId: 'c', ...at, delta: -1_000_000_000, reason: 'r' },
      { type: 'AdjustStock', commandId: 'c', ...at, setTotal: 0, reason: 'r' },
      { type: 'AdjustStock', commandId: 'c', ...at, setTotal: 10 ** 15, reason: 'r' },
      { type: 'SetItemStatus', commandId: 'c', ...at, status: 'INACTIVE' },
      {
        type: 'Reserve',
        commandId: 'c',
        ...at,
        idempotencyKey: 'k',
        quantity: 1,
        ttlSeconds: 2_592_000,
      },
      { type: 'ChangeReservation', commandId: 'c', reservationId: 'rsv-0-1', quantity: 3 },
      { type: 'Confirm', commandId: 'c', reservationId: 'rsv-4095-9999999999999999' },
      { type: 'Release', commandId: 'c', reservationId: 'rsv-12-88', actor: 'shop' },
      {
        type: 'PlaceOrder',
        commandId: 'c',
        orderId: 'o',
        customerId: 'cu',
        lines: [{ ...line, quantity: 1 }],
        ttlSeconds: 1,
      },
      { type: 'ChangeOrder', commandId: 'c', orderId: 'o', lines: [line] },
      { type: 'ConfirmOrder', commandId: 'c', orderId: 'o' },
      { type: 'ConfirmOrder', commandId: 'c', orderId: 'o', lines: [line] },
      { type: 'CancelOrder', commandId: 'c', orderId: 'o' },
    ]) {
      const value = Buffer.from(JSON.stringify(good));
      expect(decoder.decode(value), JSON.stringify(good)).toMatchObject({ ok: true });
      expect(commands.get(good.type)!.payload!(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what the codec refuses, for these samples', () => {
    const commands = doc.channels.get('commands')!;
    const receipt = { type: 'ReceiveStock', commandId: 'c', sku: 'A', warehouseId: 'W' };
    for (const bad of [
      { ...receipt, quantity: 0 },
      { ...receipt, quantity: 1.5 },
      { ...receipt, quantity: 1, colour: 'red' },
      { type: 'ReceiveStock', sku: 'A', warehouseId: 'W', quantity: 1 },
      { ...receipt, sku: 'A|B', quantity: 1 },
      { type: 'AdjustStock', commandId: 'c', sku: 'A', warehouseId: 'W', reason: 'r' },
      { type: 'AdjustStock', commandId: 'c', sku: 'A', warehouseId: 'W', reason: 'r', delta: 0 },
      { type: 'Confirm', commandId: 'c', reservationId: 'rsv-1' },
      { type: 'PlaceOrder', commandId: 'c', orderId: 'o', lines: [] },
    ]) {
      expect(decoder.decode(Buffer.from(JSON.stringify(bad))).ok, 'codec').toBe(false);
      expect(commands.get(bad.type)!.payload!(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
