import { describe, expect, it } from 'vitest';
import { runInFreshProcess } from './fresh-process.ts';

/**
 * Record batches of every shape a fetch may bring, encoded with kafkajs's own encoders and read
 * back with its record batch decoder: small and large timestamp deltas (past the seven bytes a
 * number reads exactly, both signs), first timestamps and offsets beyond safe integers and
 * negative ones, log-append time, null and empty keys and values, and headers that repeat, that
 * are empty, and one named "__proto__".
 */
const decodeScript = `
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const Long = require('kafkajs/src/utils/long.js');
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
  const Decoder = require('kafkajs/src/protocol/decoder.js');
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
  // kafkajs folds a "__proto__" header with the prototype it finds there: kept as it does.
  const hex = (b) => (Buffer.isBuffer(b) ? b.toString('hex') : b === null ? null : typeof b);
  const recordsOf = (count, deltaOf) => Array.from({ length: count }, (_, i) => Record({
    offsetDelta: i,
    timestampDelta: deltaOf(i),
    key: i % 5 === 0 ? null : i % 5 === 1 ? Buffer.alloc(0) : Buffer.from('SKU-' + i + '|WH-1'),
    value: i % 7 === 0 ? null : Buffer.alloc((i * 37) % 700, i % 251),
    headers: i % 3 === 0 ? {} : i % 3 === 1
      ? { 'content-type': Buffer.from('application/msgpack'), repeated: [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')] }
      : { ['__proto__']: Buffer.from('p'), empty: Buffer.alloc(0) },
  }));
  const batches = [
    { firstOffset: Long.fromValue(0), firstTimestamp: 1796107505446, records: recordsOf(40, (i) => i * 3) },
    { firstOffset: Long.fromValue('9007199254740000'), firstTimestamp: '9007199254740990',
      records: recordsOf(30, (i) => i) },
    { firstOffset: Long.fromValue(12345), firstTimestamp: -1, records: recordsOf(5, () => 0) },
    { firstOffset: Long.fromValue(7), firstTimestamp: 1796107505446,
      records: recordsOf(12, (i) => [2 ** 48 - 1, -(2 ** 48), 2 ** 49, -(2 ** 49) - 1, 2 ** 53 + 2, Long.fromValue('-9000000000000000000')][i % 6]) },
    { firstOffset: Long.fromValue(99), firstTimestamp: 1796107505446, maxTimestamp: 1796107509999,
      logAppendTime: true, records: recordsOf(6, (i) => i) },
  ];
  const decoded = [];
  for (const { logAppendTime, ...batch } of batches) {
    const buffer = (await RecordBatch({ maxTimestamp: 1796107506000, ...batch, lastOffsetDelta: batch.records.length - 1 })).buffer;
    // Attributes (int16) follow firstOffset, length, leader epoch, magic and CRC: bit 3 is log-append time.
    if (logAppendTime) buffer[22] |= 0x08;
    const { records } = await decodeBatch(new Decoder(buffer));
    decoded.push(records.map((r) => ({
      ...r,
      key: hex(r.key),
      value: hex(r.value),
      headers: Object.getOwnPropertyNames(r.headers).map((k) => [k, [r.headers[k]].flat().map(hex)]),
      headersPrototype: Object.getPrototypeOf(r.headers) === Object.prototype,
      batchContext: { firstOffset: r.batchContext.firstOffset, timestampType: r.batchContext.timestampType },
    })));
  }
  return decoded;
`;

const decoder = {
  module: new URL('../../src/kafka/fetch-record-decoder.ts', import.meta.url),
  check: 'fetchRecordsDecodedDirectly',
};
const decodeInFreshProcess = (withStockdClient: boolean) => {
  const { installed, value } = runInFreshProcess<unknown[]>(
    decodeScript,
    withStockdClient,
    decoder,
  );
  return { direct: installed, batches: value };
};

describe("fetched records decoded with numbers instead of kafkajs's Longs", () => {
  it('are the records kafkajs decodes, field for field, in every shape', () => {
    const theirs = decodeInFreshProcess(false);
    const ours = decodeInFreshProcess(true);
    expect(ours.direct).toBe(true);
    expect(theirs.batches).toHaveLength(5);
    expect(ours.batches).toEqual(theirs.batches);
  });
});
