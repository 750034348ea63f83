import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 keeps every broker connection's request queue polling itself every millisecond
 * forever (tulios/kafkajs#1704, #1751): a check for pending requests always schedules the next
 * one, `throttledUntil - Date.now()` milliseconds ahead — a negative number when nothing is
 * throttled, which Node runs after 1 ms and warns about (TimeoutNegativeWarning). An idle
 * producer and consumer cost ~4 % of a core that way, on the threads that serve requests.
 *
 * The fix the issue thread proposes, applied to kafkajs's class once per thread that loads this
 * module: a check is scheduled only when a request waits (as kafkajs does: at the end of a
 * throttle, else in 10 ms) or a throttle is to end; otherwise nothing is pending and the next
 * request — pushed, or the answer to one in flight — checks the queue itself.
 */
interface RequestQueueInternals {
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  throttledUntil: number;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for re-checking a queue that has requests waiting (ms). */
const checkPendingRequestsIntervalMs = 10;

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueueInternals;
};

RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottledMs = this.throttledUntil - Date.now();
  let delayMs: number;
  if (this.pending.length > 0) {
    delayMs = untilUnthrottledMs > 0 ? untilUnthrottledMs : checkPendingRequestsIntervalMs;
  } else if (untilUnthrottledMs > 0) {
    delayMs = untilUnthrottledMs;
  } else {
    return;
  }
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delayMs);
};
