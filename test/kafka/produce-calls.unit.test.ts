import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { produceCalls } from '../../src/ingress/kafka/produce-calls.ts';

const message = (n: number, valueBytes: number): Message => ({
  key: `k${n}`,
  value: Buffer.alloc(valueBytes, n % 256),
});

describe('produce calls', () => {
  it('keeps every message once, in order, each call within both limits', () => {
    const messages = Array.from({ length: 1_000 }, (_, n) => message(n, 1 + ((n * 37) % 500)));
    const calls = produceCalls(messages, { messagesMax: 64, bytesMax: 8_192 });
    expect(calls.flat()).toEqual(messages);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(64);
      const bytes = call.reduce(
        (sum, m) => sum + (m.key as string).length + (m.value as Buffer).length,
        0,
      );
      expect(bytes).toBeLessThanOrEqual(8_192);
    }
    // Full calls, not needlessly small ones: only the last may be short of both limits.
    for (const call of calls.slice(0, -1)) {
      const next = messages[messages.indexOf(call.at(-1)!) + 1]!;
      const bytes = call.reduce(
        (sum, m) => sum + (m.key as string).length + (m.value as Buffer).length,
        0,
      );
      expect(call.length === 64 || bytes + (next.value as Buffer).length + 4 > 8_192).toBe(true);
    }
  });

  it('sends a message larger than the byte limit alone, and nothing for nothing', () => {
    const calls = produceCalls([message(1, 10), message(2, 100_000), message(3, 10)], {
      messagesMax: 100,
      bytesMax: 1_000,
    });
    expect(calls.map((call) => call.length)).toEqual([1, 1, 1]);
    expect(produceCalls([], { messagesMax: 10, bytesMax: 10 })).toEqual([]);
  });

  it('counts string values by their UTF-8 bytes', () => {
    const wide = { key: null, value: 'é'.repeat(300) }; // 600 bytes
    const calls = produceCalls([wide, wide], { messagesMax: 10, bytesMax: 1_000 });
    expect(calls.map((call) => call.length)).toEqual([1, 1]);
  });
});
