/**
 * When a PostgreSQL failure is worth retrying. Retrying is for the database being away
 * (restarting, failing over, overloaded, a dropped connection, a lost deadlock); never for our
 * own bugs (bad SQL, a violated constraint, a TypeError), which would fail the same way forever.
 * How long to wait between attempts is retry/backoff.ts.
 */

// SQLSTATE classes and codes that describe the server or the connection, not the statement.
const retriableClasses = new Set(['08', '53', '57', '58']);
const retriableCodes = new Set(['40001', '40P01', '55P03', '55006', '25P03', '25006']);
// Node's socket errors.
const retriableSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres reports a lost connection or an exhausted pool with a plain Error.
const retriableMessages = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /not queryable/i,
];

export function isRetriable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (isRetriableItself(cause)) return true;
    cause = cause.cause;
  }
  return false;
}

function isRetriableItself(error: Error): boolean {
  if (error instanceof TypeError || error instanceof RangeError) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (retriableSystemCodes.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) {
      return retriableCodes.has(code) || retriableClasses.has(code.slice(0, 2));
    }
  }
  return retriableMessages.some((pattern) => pattern.test(error.message));
}
