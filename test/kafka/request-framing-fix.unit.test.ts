import { describe, expect, it } from 'vitest';
import { runInFreshProcess } from './fresh-process.ts';

/**
 * Requests framed as kafkajs's connection frames them: payloads from empty to larger than an
 * Encoder's first doubling steps, client ids ASCII, not ASCII, empty and missing; and produce
 * requests, whose payload stockd writes behind room for the frame, with client ids that fit the
 * room and one that does not.
 */
const framesScript = `
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const Encoder = require('kafkajs/src/protocol/encoder.js');
  const createRequest = require('kafkajs/src/protocol/request.js');
  const frames = [];
  const clientIds = ['stockd', 'stöck-d-ü', '', null, undefined];
  for (const [n, size] of [0, 1, 511, 512, 4_097, 70_000, 300_001].entries()) {
    const payload = new Encoder().writeBytes(Buffer.alloc(size, n + 1)).writeInt32(size);
    const request = { apiKey: n, apiVersion: 7 - n, encode: async () => payload };
    const framed = await createRequest({ correlationId: 1_000 * n + 3, clientId: clientIds[n % 5], request });
    frames.push(framed.buffer.toString('hex'));
  }
  const produce = require('kafkajs/src/protocol/requests/produce/index.js');
  const messages = Array.from({ length: 40 }, (_, i) => ({
    key: 'SKU-' + i, value: Buffer.alloc(i * 50, i), timestamp: String(1796107505446 + i),
  }));
  for (const clientId of ['stockd', 'ü'.repeat(57), 'x'.repeat(115), null]) {
    const { request } = produce.protocol({ version: 7 })({
      acks: -1, timeout: 30000, topicData: [{ topic: 'inventory-events', partitions: [{ partition: 3, messages }] }],
    });
    const framed = await createRequest({ correlationId: 77, clientId, request });
    frames.push(framed.buffer.toString('hex'));
  }
  return frames;
`;

const framing = {
  module: new URL('../../src/kafka/request-framing-fix.ts', import.meta.url),
  check: 'requestFramedOnce',
};

describe('the request framing', () => {
  it("frames exactly kafkajs's bytes, once stockd's Kafka client is loaded", () => {
    const once = runInFreshProcess<string[]>(framesScript, true, framing);
    const kafkajs = runInFreshProcess<string[]>(framesScript, false, framing);
    expect(once.installed).toBe(true);
    expect(once.value).toHaveLength(11);
    expect(once.value[6]!.length).toBeGreaterThan(2 * 300_000);
    once.value.forEach((frame, i) => {
      expect(frame === kafkajs.value[i], `frame ${i} differs`).toBe(true);
    });
  });
});
