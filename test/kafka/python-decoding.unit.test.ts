// Events as a reader stockd did not write decodes them: Python's msgpack (Debian's
// python3-msgpack), as the data team's consumers do. Every number must come out a Python int —
// `1796107505446`, not `1796107505446.0` — with the value stockd sent.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent, LoggedOrderEvent } from '../../src/checkpoint/logged-event.ts';
import { encodeWireEvent, toWireEntry } from '../../src/kafka/wire-event.ts';

// Debian's own interpreter first: another python3 earlier on the PATH (pyenv) lacks its packages.
const python =
  ['/usr/bin/python3', 'python3'].find(
    (candidate) => spawnSync(candidate, ['-c', 'import msgpack']).status === 0,
  ) ?? 'python3';
const hasMsgpack = spawnSync(python, ['-c', 'import msgpack']).status === 0;
const required = process.env.CI === 'true';
if (!hasMsgpack && !required) {
  console.warn(
    "Python's msgpack is not installed: its decoding of events is skipped " +
      '(apt-get install python3-msgpack; with CI=true it runs and fails instead)',
  );
}

// Reads concatenated MessagePack maps from stdin; prints each field's Python type and value.
const reader = `
import json, sys, msgpack
def typed(value):
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    return [type(value).__name__, value]
print(json.dumps([typed(e) for e in msgpack.Unpacker(sys.stdin.buffer, raw=False)]))
`;

const nowMs = 1_796_107_505_446;
const events = [
  {
    type: 'StockAdjusted',
    partition: 5,
    seq: 2 ** 34,
    sku: 'SKU-1',
    warehouseId: 'WH-1',
    itemPreviousSeq: 2 ** 34 - 1,
    timestampMs: nowMs,
    totalDelta: -(2 ** 40),
    reservedDelta: 0,
    totalQty: 10 ** 15 - 2 ** 40,
    reservedQty: 0,
    status: 'ACTIVE',
    itemVersion: 3,
    delta: -(2 ** 40),
    reason: 'count',
    actor: 'erp',
  } as LoggedEvent,
  {
    type: 'OrderPlaced',
    partition: 1,
    seq: 9,
    orderId: 'order-1',
    timestampMs: nowMs,
    status: 'PENDING',
    orderVersion: 1,
    totalQuantity: 3,
    lines: [{ sku: 'A', warehouseId: 'W', quantity: 3 }],
    ttlSeconds: 900,
    expiresAtMs: nowMs + 900_000,
  } as LoggedOrderEvent,
].map((event) => toWireEntry('store', event));

describe.skipIf(!hasMsgpack && !required)("events read by Python's msgpack", () => {
  it('have int numbers with the values sent, str texts, and nothing else', () => {
    const input = Buffer.concat(events.map(encodeWireEvent));
    const run = spawnSync(python, ['-c', reader], { input });
    expect(run.status, run.stderr.toString()).toBe(0);
    const decoded = JSON.parse(run.stdout.toString()) as Record<string, unknown>[];
    expect(decoded).toHaveLength(events.length);
    decoded.forEach((typedEvent, i) => {
      const event = events[i] as unknown as Record<string, unknown>;
      expect(Object.keys(typedEvent).sort()).toEqual(Object.keys(event).sort());
      for (const [field, value] of Object.entries(event)) {
        if (field === 'lines') continue;
        const kind = typeof value === 'number' ? 'int' : 'str';
        expect(typedEvent[field], field).toEqual([kind, value]);
      }
    });
    expect(decoded[1]!.lines).toEqual([
      { sku: ['str', 'A'], warehouseId: ['str', 'W'], quantity: ['int', 3] },
    ]);
  });
});
