/**
 * When a PostgreSQL failure is worth retrying. Retrying is for the database being away
 * (restarting, failing over, overloaded, a dropped connection, a lost deadlock); never for our
 * own bugs (bad SQL, a violated constraint, a TypeError), which would fail the same way forever.
 * How long to wait between attempts is retry/backoff.ts.
 */

// SQLSTATE classes and codes that describe the server or the connection, not the statement.
// Class 57 is the operator's: 57P01 admin shutdown (a terminated backend, a restart), 57P02
// crash shutdown, 57P03 cannot connect now (starting up), 57P04 database dropped, 57P05 idle
// session timeout, 57014 a cancelled statement.
const retriableClasses = new Set(['08', '53', '57', '58']);
const retriableCodes = new Set([
  '40001', // serialization failure
  '40P01', // deadlock: one of the two transactions lost
  '55P03', // lock not available
  '55006', // object in use
  // Object not in prerequisite state: what a database says while it refuses new connections
  // (ALTER DATABASE … ALLOW_CONNECTIONS false, often during maintenance or a restore). None of
  // stockd's own statements raise it otherwise.
  '55000',
  '25P03', // idle in transaction session timeout
  '25006', // read-only transaction: a standby, before a failover completes
]);
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
