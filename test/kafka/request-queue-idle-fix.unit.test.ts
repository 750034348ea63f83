// kafkajs's request queue, with stockd's fix loaded: no timer while nothing waits and nothing is
// throttled (kafkajs 2.2.4 re-checked every millisecond forever), kafkajs's own otherwise.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../src/kafka/request-queue-idle-fix.ts';

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');

const silent = { debug() {}, info() {}, warn() {}, error() {} };
function queue() {
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 1_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: silent,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the request queue once idle', () => {
  it('schedules nothing when no request waits and none is throttled', () => {
    vi.useFakeTimers();
    const idle = queue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-checks in 10 ms when a request waits, and at the end of a throttle', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const waiting = queue();
    const check = vi.spyOn(waiting, 'checkPendingRequests').mockImplementation(() => {});
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(9);
    expect(check).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);

    const throttled = queue();
    const checkThrottled = vi.spyOn(throttled, 'checkPendingRequests').mockImplementation(() => {});
    throttled.throttledUntil = Date.now() + 250;
    throttled.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(249);
    expect(checkThrottled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(checkThrottled).toHaveBeenCalledTimes(1);
  });

  it('schedules one check at a time', () => {
    vi.useFakeTimers();
    const waiting = queue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    waiting.scheduleCheckPendingRequests();
    expect(vi.getTimerCount()).toBe(1);
  });
});
