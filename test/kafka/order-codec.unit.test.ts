import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeCommand } from '../../src/ingress/kafka/command-codec.ts';
import { toCommandResult } from '../../src/ingress/kafka/command-result.ts';

const bytesMax = 64 * 1024;
const lines = [
  { sku: 'A', warehouseId: 'W', quantity: 2 },
  { sku: 'B', warehouseId: 'W', quantity: 1 },
];

describe('order requests on the command topic', () => {
  it.each([
    ['PlaceOrder', { orderId: 'o-1', customerId: 'c', lines, ttlSeconds: 60 }],
    ['ChangeOrder', { orderId: 'o-1', lines: [{ ...lines[0]!, quantity: 0 }] }],
    ['ConfirmOrder', { orderId: 'o-1' }],
    ['ConfirmOrder', { orderId: 'o-1', lines: [{ ...lines[1]!, quantity: 0 }] }],
    ['CancelOrder', { orderId: 'o-1' }],
  ])('decodes %s', (type, fields) => {
    const message = { type, commandId: 'c-1', ...fields };
    expect(decodeCommand(pack(message), bytesMax)).toEqual({
      ok: true,
      encoding: 'msgpack',
      commandId: 'c-1',
      command: message,
    });
  });

  it.each([
    ['no lines', { type: 'PlaceOrder', orderId: 'o', lines: [] }],
    ['two lines for one item', { type: 'PlaceOrder', orderId: 'o', lines: [lines[0], lines[0]] }],
    [
      'a line of quantity 0',
      { type: 'PlaceOrder', orderId: 'o', lines: [{ ...lines[0]!, quantity: 0 }] },
    ],
    ['an unknown field', { type: 'CancelOrder', orderId: 'o', reason: 'x' }],
    ['an orderId with spaces', { type: 'CancelOrder', orderId: 'o 1' }],
    // The coordinator's own steps are never a client's.
    ['an order step', { type: 'OpenOrder', orderId: 'o', lines, ttlSeconds: 5 }],
    [
      "a line's hold",
      { type: 'HoldLine', orderId: 'o', ...lines[0], ttlSeconds: 5, expiresAtMs: 1 },
    ],
  ])('refuses %s', (_name, message) => {
    expect(decodeCommand(pack({ commandId: 'c-1', ...message }), bytesMax)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('reports an order that failed with each line and its code', () => {
    const failed = [
      { sku: 'A', warehouseId: 'W', quantity: 2, code: 'INSUFFICIENT_STOCK' as const },
    ];
    expect(
      toCommandResult('c-1', 'PlaceOrder', { ok: false, code: 'ORDER_FAILED', lines: failed }),
    ).toMatchObject({
      commandId: 'c-1',
      type: 'PlaceOrder',
      ok: false,
      code: 'ORDER_FAILED',
      retriable: false,
      lines: failed,
    });
  });
});
