import { describe, expect, it } from 'vitest';
import { runInFreshProcess } from './fresh-process.ts';

/**
 * Produce requests of every shape stockd's producers and others send: Buffer and string keys and
 * values of several varint widths, null keys and values, timestamps as strings of different
 * lengths (kafkajs sorts them as strings), as numbers and missing (now: Date.now is fixed), shared
 * frozen headers, array-valued and Buffer-valued headers, several topics and partitions, a
 * transactional producer's id, epoch and sequence — and one partition of no messages.
 */
const requestsScript = `
  Date.now = () => 1796107505446;
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const Long = require('kafkajs/src/utils/long.js');
  const produce = require('kafkajs/src/protocol/requests/produce/index.js');
  const shared = Object.freeze({ 'content-type': 'application/msgpack', 'stockd-schema-version': '1' });
  const messagesOf = (count, shape) => Array.from({ length: count }, (_, i) => ({
    key: shape % 3 === 0 ? Buffer.from('SKU-' + i + '|WH-1') : shape % 3 === 1 ? 'küy-' + i : null,
    value: i % 17 === 0 ? null : shape % 2 === 0 ? Buffer.alloc((i * 37) % 3000, i % 251) : 'välue '.repeat(i % 40),
    timestamp: shape === 4 ? undefined : shape === 5 ? 1796107505000 + i * 7 : String(99990 + i * 3),
    headers: shape === 3 ? { list: ['a', Buffer.from('bé')], one: Buffer.from([1, 2, 3]) } : shared,
  }));
  const topicData = [
    { topic: 'inventory-events', partitions: [0, 1, 2, 3, 4, 5].map((shape) => ({
      partition: shape, messages: messagesOf(shape === 2 ? 1 : 150 + shape, shape),
    })) },
    { topic: 'inventory-command-results', partitions: [{ partition: 7, messages: [] },
      { partition: 9, messages: messagesOf(20, 1), firstSequence: 123456 }] },
  ];
  const encoded = [];
  for (const [version, extra] of [
    [7, {}],
    [3, { transactionalId: 'tx-ä', producerId: Long.fromValue(2 ** 40 + 5), producerEpoch: 7 }],
    [5, { producerId: Long.fromValue(4321), producerEpoch: 2 }],
  ]) {
    const { request } = produce.protocol({ version })({ acks: -1, timeout: 30000, topicData, ...extra });
    encoded.push((await request.encode()).buffer.toString('hex'));
  }
  return encoded;
`;

const writer = {
  module: new URL('../../src/kafka/produce-request-writer.ts', import.meta.url),
  check: 'produceRequestWrittenDirectly',
};
const encodeInFreshProcess = (withStockdClient: boolean) => {
  const { installed, value } = runInFreshProcess<string[]>(
    requestsScript,
    withStockdClient,
    writer,
  );
  return { direct: installed, requests: value };
};

describe('the produce request writer', () => {
  it("writes exactly kafkajs's bytes for every request shape, once stockd's Kafka client is loaded", () => {
    const direct = encodeInFreshProcess(true);
    const kafkajs = encodeInFreshProcess(false);
    expect(direct.direct).toBe(true);
    expect(direct.requests).toHaveLength(3);
    expect(direct.requests[0]!.length).toBeGreaterThan(2 * 500_000);
    direct.requests.forEach((request, i) => {
      expect(request === kafkajs.requests[i], `request ${i} differs`).toBe(true);
    });
  });
});
