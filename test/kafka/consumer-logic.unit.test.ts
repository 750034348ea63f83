import type { KafkaMessage } from 'kafkajs';
import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { createCommandDecoder } from '../../src/ingress/kafka/command-codec.ts';
import { planSlice, settleSlice } from '../../src/ingress/kafka/slice-plan.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

const source = { topic: 'cmds', partition: 1 };
const decoder = createCommandDecoder({
  valueBytesMax: 1_024,
  defaultTtlSeconds: 900,
  linesMax: 100,
});
const message = (offset: number, value: Buffer | string | null): KafkaMessage =>
  ({
    key: Buffer.from(`k-${offset}`),
    value: value === null ? null : Buffer.from(value),
    headers: {},
    offset: `${offset}`,
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;
const receive = (commandId: string) => ({
  type: 'ReceiveStock',
  commandId,
  sku: 'S',
  warehouseId: 'W',
  quantity: 1,
});

describe('a slice of command messages', () => {
  const slice = [
    message(10, JSON.stringify(receive('a'))),
    message(11, 'not json or msgpack {'),
    message(12, pack(receive('b'))),
    message(13, null),
    message(14, pack(receive('c'))),
  ];
  const plan = planSlice(source, slice, decoder);
  const applied: EngineResult = { ok: true, applied: true };

  it('submits the valid commands in offset order', () => {
    expect(plan.commands.map((c) => c.commandId)).toEqual(['a', 'b', 'c']);
  });

  it('answers each command in its encoding and dead-letters the rest, up to the last offset', () => {
    const settled = settleSlice(plan, [applied, { ok: false, code: 'ITEM_NOT_FOUND' }, applied]);
    expect(settled.complete).toBe(true);
    expect(settled.lastOffset).toBe('14');
    expect(settled.results.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(String(settled.results[0]!.value))).toMatchObject({
      commandId: 'a',
      ok: true,
    });
    expect(unpack(settled.results[1]!.value as Buffer)).toMatchObject({
      commandId: 'b',
      ok: false,
      code: 'ITEM_NOT_FOUND',
    });
    expect(settled.outcomes).toEqual(['applied', 'rejected', 'applied']);
    expect(settled.deadLetterReasons).toEqual(['undecodable', 'empty']);
    expect(settled.deadLetters.map((m) => String(m.key))).toEqual(['k-11', 'k-13']);
  });

  it('answers on the partition its command came from, keyed by commandId', () => {
    const settled = settleSlice(plan, [applied, applied, applied]);
    expect(settled.results.map((r) => [r.key, r.partition])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(settled.results.map((r) => r.headers?.['content-type'])).toEqual([
      'application/json',
      'application/msgpack',
      'application/msgpack',
    ]);
  });

  it('leaves a command refused for lack of disk space, and all after it, to be decided again', () => {
    const full: EngineResult = { ok: false, code: 'STORAGE_FULL', message: 'a write failed' };
    const settled = settleSlice(plan, [applied, full, full]);
    expect(settled).toMatchObject({
      complete: false,
      undecidedCode: 'STORAGE_FULL',
      // a and the dead letter before b: the consumer retries the slice from offset 12.
      settledMessages: 2,
      lastOffset: '11',
    });
    expect(settled.results.map((r) => r.key)).toEqual(['a']);
    expect(settled.deadLetterReasons).toEqual(['undecodable']);
  });

  it('stops before the first command the engine did not decide', () => {
    const settled = settleSlice(plan, [applied, { ok: false, code: 'SHUTTING_DOWN' }, applied]);
    expect(settled.complete).toBe(false);
    // Offset 12 (command b) is not answered: everything from it on is redelivered.
    expect(settled.lastOffset).toBe('11');
    expect(settled.results.map((r) => r.key)).toEqual(['a']);
    expect(settled.deadLetterReasons).toEqual(['undecodable']);
  });

  it('answers nothing when the first message is undecided', () => {
    const settled = settleSlice(planSlice(source, [slice[0]!], decoder), [
      { ok: false, code: 'OVERLOADED' },
    ]);
    expect(settled).toMatchObject({ complete: false, lastOffset: undefined, results: [] });
  });
});
