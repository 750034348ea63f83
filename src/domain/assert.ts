/** Assertions guard programmer errors only; a failure crashes the worker, never becomes a 4xx. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/**
 * `message` may be a function, called only when the assertion fails: a template literal there
 * would build its string on every call, on paths that run millions of times.
 */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionError(typeof message === 'string' ? message : message());
}
