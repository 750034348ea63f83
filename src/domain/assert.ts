/** Assertions guard programmer errors only; a failure crashes the worker, never becomes a 4xx. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
