/** The request bodies HTTP must refuse, shared with the Kafka command topic's table test. */
export const badInputEnv = {
  STOCKD_HTTP_BODY_LIMIT_BYTES: '65536',
  STOCKD_BULK_ITEMS_MAX: '100',
};

export const valid = { idempotencyKey: 'k1', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1 };

/**
 * Every row: a request that must be refused with a 4xx and change nothing — over HTTP
 * (bad-inputs.int.test.ts) and, as a command message, over Kafka (test/kafka/
 * same-contract.int.test.ts), where it must get the same code in its result or dead letter.
 */
export const badInputRows: [
  name: string,
  url: string,
  body: string,
  status: number,
  code: string,
][] = [
  [
    'negative quantity',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: -1 }),
    400,
    'VALIDATION',
  ],
  [
    'zero quantity',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: 0 }),
    400,
    'VALIDATION',
  ],
  [
    'fractional quantity',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: 1.5 }),
    400,
    'VALIDATION',
  ],
  [
    'huge quantity',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: 1e12 }),
    400,
    'VALIDATION',
  ],
  [
    'quantity 1e400',
    '/inventory/reserve',
    '{"idempotencyKey":"k","sku":"SKU-1","warehouseId":"WH-1","quantity":1e400}',
    400,
    'VALIDATION',
  ],
  [
    'quantity as string',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: '1' }),
    400,
    'VALIDATION',
  ],
  [
    'missing sku',
    '/inventory/reserve',
    JSON.stringify({ ...valid, sku: undefined }),
    400,
    'VALIDATION',
  ],
  [
    'missing quantity',
    '/inventory/reserve',
    JSON.stringify({ ...valid, quantity: undefined }),
    400,
    'VALIDATION',
  ],
  ['sku as number', '/inventory/reserve', JSON.stringify({ ...valid, sku: 12 }), 400, 'VALIDATION'],
  [
    'unknown field',
    '/inventory/reserve',
    JSON.stringify({ ...valid, price: 3 }),
    400,
    'VALIDATION',
  ],
  [
    'unicode sku',
    '/inventory/reserve',
    JSON.stringify({ ...valid, sku: 'SKÜ-1' }),
    400,
    'VALIDATION',
  ],
  ['emoji sku', '/inventory/reserve', JSON.stringify({ ...valid, sku: '📦' }), 400, 'VALIDATION'],
  [
    'sku with separator',
    '/inventory/reserve',
    JSON.stringify({ ...valid, sku: 'A|B' }),
    400,
    'VALIDATION',
  ],
  [
    'very long sku',
    '/inventory/reserve',
    JSON.stringify({ ...valid, sku: 'S'.repeat(65) }),
    400,
    'VALIDATION',
  ],
  ['empty sku', '/inventory/reserve', JSON.stringify({ ...valid, sku: '' }), 400, 'VALIDATION'],
  [
    'idempotency key with spaces',
    '/inventory/reserve',
    JSON.stringify({ ...valid, idempotencyKey: 'a b' }),
    400,
    'VALIDATION',
  ],
  [
    'ttl zero',
    '/inventory/reserve',
    JSON.stringify({ ...valid, ttlSeconds: 0 }),
    400,
    'VALIDATION',
  ],
  [
    'ttl beyond 30 days',
    '/inventory/reserve',
    JSON.stringify({ ...valid, ttlSeconds: 2_592_001 }),
    400,
    'VALIDATION',
  ],
  [
    'reserve without a key',
    '/inventory/reserve',
    JSON.stringify({ ...valid, idempotencyKey: undefined }),
    400,
    'VALIDATION',
  ],
  [
    'idempotencyKey and orderId that differ',
    '/inventory/reserve',
    JSON.stringify({ ...valid, orderId: 'k2' }),
    400,
    'VALIDATION',
  ],
  [
    'adjustment with both delta and setTotal',
    '/inventory/adjustments',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', delta: 1, setTotal: 3, reason: 'count' }),
    400,
    'VALIDATION',
  ],
  [
    'adjustment by 0',
    '/inventory/adjustments',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', delta: 0, reason: 'count' }),
    400,
    'VALIDATION',
  ],
  [
    'reason with a C1 control character',
    '/inventory/receipts',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1, reason: 'a\u0085b' }),
    400,
    'VALIDATION',
  ],
  ['invalid JSON', '/inventory/reserve', '{"sku": ', 400, 'VALIDATION'],
  ['JSON array body', '/inventory/reserve', '[1,2]', 400, 'VALIDATION'],
  ['empty body', '/inventory/reserve', '', 400, 'VALIDATION'],
  [
    'oversized body',
    '/inventory/reserve',
    JSON.stringify({ ...valid, pad: 'x'.repeat(70_000) }),
    413,
    'BODY_TOO_LARGE',
  ],
  [
    'reason with control characters',
    '/inventory/receipts',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1, reason: 'a\u0007b' }),
    400,
    'VALIDATION',
  ],
  [
    'receipt of 0',
    '/inventory/receipts',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', quantity: 0 }),
    400,
    'VALIDATION',
  ],
  [
    'bulk beyond the limit',
    '/inventory/receipts',
    JSON.stringify({
      items: Array.from({ length: 101 }, () => ({
        sku: 'SKU-1',
        warehouseId: 'WH-1',
        quantity: 1,
      })),
    }),
    400,
    'VALIDATION',
  ],
  [
    'bulk with one bad item',
    '/inventory/receipts',
    JSON.stringify({
      items: [
        { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1 },
        { sku: 'SKU-1', warehouseId: 'WH-1', quantity: -1 },
      ],
    }),
    400,
    'VALIDATION',
  ],
  ['release without id', '/inventory/release', '{}', 400, 'VALIDATION'],
  [
    'release with malformed id',
    '/inventory/release',
    JSON.stringify({ reservationId: "'; drop table" }),
    400,
    'VALIDATION',
  ],
  [
    'adjustment without reason',
    '/inventory/adjustments',
    JSON.stringify({ sku: 'SKU-1', warehouseId: 'WH-1', delta: 1 }),
    400,
    'VALIDATION',
  ],
];
