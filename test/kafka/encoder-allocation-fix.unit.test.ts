import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const clientModule = new URL('../../src/kafka/kafka-client.ts', import.meta.url).href;
const fixModule = new URL('../../src/kafka/encoder-allocation-fix.ts', import.meta.url).href;
const crcModule = new URL('../../src/kafka/record-crc32c.ts', import.meta.url).href;

/**
 * In a fresh process: runs `first`, loads stockd's Kafka client, encodes a record batch of
 * messages with kafkajs's own protocol code (keys, values and headers of every size class, so
 * that encoders grow; offsets and timestamps over several varint widths), and prints whether both
 * replacements are in and the batch's bytes (its CRC-32C among them).
 */
function encodeInFreshProcess(first: string): { fixed: boolean; batch: string } {
  const script = `
    ${first};
    await import('${clientModule}');
    const { encoderAllocationFixed } = await import('${fixModule}');
    const { crc32cFixed } = await import('${crcModule}');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    const records = Array.from({ length: 300 }, (_, i) => Record({
      offsetDelta: i,
      timestampDelta: i * 3,
      key: Buffer.from('SKU-' + i + '|WH-1'),
      value: Buffer.alloc((i * 37) % 3000, i % 251),
      headers: { 'content-type': 'application/msgpack', 'stockd-schema-version': String(i % 3) },
    }));
    const encoder = await RecordBatch({ records, firstTimestamp: 1796107505446, maxTimestamp: 1796107505999 });
    process.stdout.write(JSON.stringify({ fixed: encoderAllocationFixed() && crc32cFixed(), batch: encoder.buffer.toString('hex') }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as { fixed: boolean; batch: string };
}

describe("kafkajs's protocol encoders and record checksum", () => {
  it("encode exactly kafkajs's bytes, pooled and 8 bytes a step, once stockd's Kafka client is loaded", () => {
    const pooled = encodeInFreshProcess('');
    const original = encodeInFreshProcess("await import('kafkajs')");
    expect(pooled.fixed).toBe(true);
    expect(original.fixed).toBe(false);
    expect(pooled.batch.length).toBeGreaterThan(300 * 2 * 1_000);
    expect(pooled.batch).toBe(original.batch);
  });
});
