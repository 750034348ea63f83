import { describe, expect, it } from 'vitest';
import { runInFreshProcess } from './fresh-process.ts';

/**
 * Requests framed as kafkajs's connection frames them: payloads from empty to larger than an
 * Encoder's first doubling steps, client ids ASCII, not ASCII, empty and missing.
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
    expect(once.value).toHaveLength(7);
    expect(once.value.at(-1)!.length).toBeGreaterThan(2 * 300_000);
    once.value.forEach((frame, i) => {
      expect(frame === kafkajs.value[i], `frame ${i} differs`).toBe(true);
    });
  });
});
