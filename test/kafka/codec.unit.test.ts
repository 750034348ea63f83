import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import {
  createCommandDecoder,
  encodeValue,
  encodingOf,
} from '../../src/ingress/kafka/command-codec.ts';
import { outcomeOf, toCommandResult } from '../../src/ingress/kafka/command-result.ts';
import { deadLetterHeaders, deadLetterOf } from '../../src/ingress/kafka/dead-letter.ts';
import { decodeWireEvent, encodeWireEvent, toWireEvent } from '../../src/kafka/wire-event.ts';

const receive = {
  type: 'ReceiveStock',
  commandId: 'c-1',
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  quantity: 5,
};
const bytesMax = 1_024;
const decoder = createCommandDecoder({
  valueBytesMax: bytesMax,
  defaultTtlSeconds: 900,
  linesMax: 100,
});
const decodeCommand = (value: Buffer | null) => decoder.decode(value);

describe('decodeCommand', () => {
  it('reads JSON when the value starts with { (after JSON whitespace), MessagePack otherwise', () => {
    expect(decodeCommand(Buffer.from(JSON.stringify(receive)))).toEqual({
      ok: true,
      encoding: 'json',
      commandId: 'c-1',
      command: receive,
    });
    expect(decodeCommand(pack(receive))).toEqual({
      ok: true,
      encoding: 'msgpack',
      commandId: 'c-1',
      command: receive,
    });
  });

  it.each([
    ['a space', ' '],
    ['a newline', '\n'],
    ['CR LF', '\r\n'],
    ['a tab and spaces', '\t  '],
    ['a byte order mark', '\uFEFF'],
  ])('reads JSON led by %s', (_, lead) => {
    expect(decodeCommand(Buffer.from(`${lead}${JSON.stringify(receive)}\n`))).toEqual({
      ok: true,
      encoding: 'json',
      commandId: 'c-1',
      command: receive,
    });
  });

  it('says which format it tried and what its parser said', () => {
    expect(decodeCommand(Buffer.from('  {"type":"ReceiveStock",,}'))).toMatchObject({
      ok: false,
      reason: 'undecodable',
      detail: expect.stringMatching(
        /^not JSON: Expected double-quoted property name .* at position 25/,
      ),
    });
    expect(decodeCommand(Buffer.from('type=ReceiveStock'))).toMatchObject({
      ok: false,
      reason: 'undecodable',
      detail: expect.stringMatching(/^not MessagePack \(a JSON command starts with "\{"/),
    });
    expect(decodeCommand(Buffer.from([0xdc, 0x00]))).toMatchObject({
      ok: false,
      reason: 'undecodable',
      detail: expect.stringMatching(/^not MessagePack: /),
    });
  });

  it('takes a reserve as HTTP does: the key by either name, the hold time optional', () => {
    const reserve = {
      type: 'Reserve',
      commandId: 'r-1',
      sku: 'SKU-1',
      warehouseId: 'WH-1',
      orderId: 'order-1',
      quantity: 2,
    };
    expect(decodeCommand(Buffer.from(JSON.stringify(reserve)))).toMatchObject({
      ok: true,
      command: reserve,
    });
  });

  it.each([
    ['no value', null, 'empty'],
    ['an empty value', Buffer.alloc(0), 'empty'],
    ['a value over the limit', Buffer.alloc(bytesMax + 1, 0x20), 'too_large'],
    ['broken JSON', Buffer.from('{"type":'), 'undecodable'],
    ['JSON with trailing bytes', Buffer.from('{"a":1} x'), 'undecodable'],
    ['a truncated MessagePack array', Buffer.from([0xdc, 0x00]), 'undecodable'],
    ['truncated MessagePack', pack(receive).subarray(0, 10), 'undecodable'],
    [
      'MessagePack with trailing bytes',
      Buffer.concat([pack(receive), Buffer.from([1])]),
      'undecodable',
    ],
    ['no commandId', pack({ ...receive, commandId: undefined }), 'no_command_id'],
    ['a numeric commandId', pack({ ...receive, commandId: 7 }), 'no_command_id'],
    ['a MessagePack string', pack('hello'), 'no_command_id'],
    ['a JSON array', Buffer.from(' [1,2]'), 'no_command_id'],
    ['a bulk of receipts', pack({ ...receive, items: [] }), 'invalid'],
    ['an invalid quantity', pack({ ...receive, quantity: 0 }), 'invalid'],
    ['an unknown field', pack({ ...receive, extra: 1 }), 'invalid'],
    ['an unknown type', pack({ ...receive, type: 'Steal' }), 'invalid'],
    [
      'the timer-only Expire',
      pack({ type: 'Expire', commandId: 'x', reservationId: 'rsv-0-1' }),
      'invalid',
    ],
    ['a commandId with spaces', pack({ ...receive, commandId: 'a b' }), 'invalid'],
    ['an actor with spaces', pack({ ...receive, actor: 'the shop' }), 'invalid'],
    ['a numeric actor', pack({ ...receive, actor: 7 }), 'invalid'],
    ['an actor over 64 characters', pack({ ...receive, actor: 'a'.repeat(65) }), 'invalid'],
    [
      'a 64-bit quantity',
      Buffer.concat([
        pack({ ...receive, quantity: 1 }).subarray(0, -1),
        Buffer.from([0xcf, 0, 0, 0, 1, 0, 0, 0, 0]),
      ]),
      'invalid',
    ],
  ] as const)('sends %s to the DLQ as %s', (_, value, reason) => {
    const decoded = decodeCommand(value as Buffer | null);
    expect(decoded).toMatchObject({ ok: false, reason });
    if (!decoded.ok) expect(decoded.detail.length).toBeGreaterThan(0);
  });

  it('takes the actor a command names, for its events', () => {
    const named = { ...receive, actor: 'erp.batch-7' };
    expect(decodeCommand(Buffer.from(JSON.stringify(named)))).toMatchObject({
      ok: true,
      command: { actor: 'erp.batch-7' },
    });
  });

  it('keeps the commandId and the issues of an invalid command', () => {
    expect(decodeCommand(pack({ ...receive, quantity: -1 }))).toEqual({
      ok: false,
      reason: 'invalid',
      commandId: 'c-1',
      detail: 'quantity must be >= 1',
      issues: [{ field: 'quantity', message: 'must be >= 1' }],
    });
  });

  it('gives a __proto__ key no power over the prototype', () => {
    const value = Buffer.from('{"__proto__":{"polluted":1},"type":"ReceiveStock"}');
    expect(decodeCommand(value)).toMatchObject({ ok: false, reason: 'no_command_id' });
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('results', () => {
  it('encode in the encoding of their command', () => {
    expect(encodingOf(encodeValue('json', { a: 1 }))).toBe('json');
    expect(JSON.parse(encodeValue('json', { a: 1 }).toString())).toEqual({ a: 1 });
    expect(unpack(encodeValue('msgpack', { a: 1 }))).toEqual({ a: 1 });
  });

  it.each([
    [{ ok: true, applied: true }, { ok: true, applied: true }, 'applied'],
    [{ ok: true, applied: false }, { ok: true, applied: false }, 'unchanged'],
    [
      { ok: true, applied: false, duplicate: true },
      { ok: true, applied: false, duplicate: true },
      'duplicate',
    ],
    [
      { ok: false, code: 'INSUFFICIENT_STOCK' },
      {
        ok: false,
        code: 'INSUFFICIENT_STOCK',
        message: 'Not enough available stock',
        retriable: true,
      },
      'rejected',
    ],
    [
      { ok: false, code: 'RESERVATION_NOT_FOUND', message: 'rsv-9-9 is unknown' },
      { ok: false, code: 'RESERVATION_NOT_FOUND', message: 'rsv-9-9 is unknown', retriable: false },
      'rejected',
    ],
  ] as const)('map %o to %o (%s)', (engineResult, expected, outcome) => {
    expect(toCommandResult('c-1', 'Reserve', engineResult)).toEqual({
      commandId: 'c-1',
      type: 'Reserve',
      ...expected,
    });
    expect(outcomeOf(engineResult)).toBe(outcome);
  });
});

describe('dead letters', () => {
  it('keep the original key, value and headers and add reason and source', () => {
    const message = {
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { trace: 'abc' },
      offset: '42',
    };
    const dead = deadLetterOf({ topic: 'cmds', partition: 3 }, message, {
      reason: 'invalid',
      detail: 'quantity must be …',
      commandId: 'c-9',
    });
    expect(dead).toEqual({
      key: message.key,
      value: message.value,
      headers: {
        trace: 'abc',
        [deadLetterHeaders.reason]: 'invalid',
        [deadLetterHeaders.code]: 'VALIDATION',
        [deadLetterHeaders.detail]: 'quantity must be …',
        [deadLetterHeaders.sourceTopic]: 'cmds',
        [deadLetterHeaders.sourcePartition]: '3',
        [deadLetterHeaders.sourceOffset]: '42',
        [deadLetterHeaders.commandId]: 'c-9',
      },
    });
  });
});

describe('events on the wire', () => {
  it('carry the commandId and the actor of their command, and not its fingerprint', () => {
    const logged: LoggedEvent = {
      type: 'StockReceived',
      partition: 2,
      seq: 7,
      sku: 'S',
      warehouseId: 'W',
      itemPreviousSeq: 0,
      timestampMs: 1_000,
      totalDelta: 5,
      reservedDelta: 0,
      totalQty: 5,
      reservedQty: 0,
      status: 'ACTIVE',
      itemVersion: 1,
      quantity: 5,
      commandId: 'c-1',
      commandFingerprint: 123,
      actor: 'warehouse',
    } as LoggedEvent;
    const wire = decodeWireEvent(encodeWireEvent(toWireEvent('store', logged)));
    expect(wire).toMatchObject({
      eventId: 'store-2-7',
      commandId: 'c-1',
      actor: 'warehouse',
      availableQty: 5,
    });
    expect(wire).not.toHaveProperty('commandFingerprint');
  });
});
