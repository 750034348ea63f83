import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { createCommandDecoder } from '../../src/ingress/kafka/command-codec.ts';
import { toCommandResult } from '../../src/ingress/kafka/command-result.ts';

const decoder = createCommandDecoder({
  valueBytesMax: 64 * 1024,
  defaultTtlSeconds: 900,
  linesMax: 3,
});
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
    ['CancelOrder', { orderId: 'o-1', actor: 'support-desk' }],
  ])('decodes %s', (type, fields) => {
    const message = { type, commandId: 'c-1', ...fields };
    expect(decoder.decode(pack(message))).toEqual({
      ok: true,
      encoding: 'msgpack',
      commandId: 'c-1',
      command: message,
    });
  });

  it.each([
    ['no lines', { type: 'PlaceOrder', orderId: 'o', lines: [] }],
    [
      'a line of quantity 0',
      { type: 'PlaceOrder', orderId: 'o', lines: [{ ...lines[0]!, quantity: 0 }] },
    ],
    ['an unknown field', { type: 'CancelOrder', orderId: 'o', reason: 'x' }],
    [
      'more lines than STOCKD_ORDER_LINES_MAX',
      {
        type: 'PlaceOrder',
        orderId: 'o',
        lines: [0, 1, 2, 3].map((n) => ({ sku: `S${n}`, warehouseId: 'W', quantity: 1 })),
      },
    ],
    ['an empty confirmation', { type: 'ConfirmOrder', orderId: 'o', lines: [] }],
    ['an actor that is no identifier', { type: 'CancelOrder', orderId: 'o', actor: 'a shop' }],
    ['an orderId with spaces', { type: 'CancelOrder', orderId: 'o 1' }],
    // The coordinator's own steps are never a client's.
    ['an order step', { type: 'OpenOrder', orderId: 'o', lines, ttlSeconds: 5 }],
    [
      "a line's hold",
      { type: 'HoldLine', orderId: 'o', ...lines[0], ttlSeconds: 5, expiresAtMs: 1 },
    ],
  ])('refuses %s', (_name, message) => {
    expect(decoder.decode(pack({ commandId: 'c-1', ...message }))).toMatchObject({
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
