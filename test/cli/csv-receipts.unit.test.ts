import { describe, expect, it } from 'vitest';
import { parseReceiptLine } from '../../src/cli/csv-receipts.ts';

describe('import file lines', () => {
  it.each([
    [
      'SKU-1,WH-1,5',
      { kind: 'receipt', receipt: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 } },
    ],
    [
      'SKU-1, WH-1 , 5 ,PO 7',
      {
        kind: 'receipt',
        receipt: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5, reason: 'PO 7' },
      },
    ],
    [
      'A,B,1,"PO, ""rush"""',
      {
        kind: 'receipt',
        receipt: { sku: 'A', warehouseId: 'B', quantity: 1, reason: 'PO, "rush"' },
      },
    ],
    ['sku,warehouseId,quantity', { kind: 'skip' }],
    ['   ', { kind: 'skip' }],
    ['A,B', { kind: 'error', message: 'expected 3 or 4 fields, got 2' }],
    ['A,B,1.5', { kind: 'error', message: 'quantity "1.5" is not a positive integer' }],
    ['A,B,-1', { kind: 'error', message: 'quantity "-1" is not a positive integer' }],
  ])('%s', (line, expected) => {
    expect(parseReceiptLine(line)).toEqual(expected);
  });
});
