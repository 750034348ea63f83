import autocannon from 'autocannon';

export interface LoadSettings {
  readonly connections: number;
  readonly seconds: number;
}

export interface Load {
  readonly requestsPerSecond: number;
  readonly completedRequests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Connection errors and timeouts: requests that got no HTTP status. */
  readonly errors: number;
}

export interface BulkLoad extends Load {
  /** Holds answered ok (made or repeated) over all bulk requests with status 200. */
  readonly heldEntries: number;
  /** Holds answered with a code instead (e.g. OVERLOADED): a run with any is not comparable. */
  readonly refusedEntries: number;
}

/** The n-th hold of a run: its own idempotency key (`keyPrefix` keeps runs apart), quantity 1. */
const holdOf = (keyPrefix: string, skuOf: (n: number) => string, n: number) => ({
  idempotencyKey: `${keyPrefix}-${n}`,
  sku: skuOf(n),
  warehouseId: 'WH-1',
  quantity: 1,
  ttlSeconds: 3600,
});

/**
 * Closed-loop reserves with autocannon: `connections` connections each sending its next
 * POST /inventory/reserve as soon as the previous one is answered, for `seconds`. Every request
 * has an idempotency key of its own (`keyPrefix` keeps runs apart), quantity 1, and the SKU
 * `skuOf(n)` for the n-th request; with `apiKey`, each sends it as its bearer key.
 */
export async function reserveLoad(
  url: string,
  settings: LoadSettings,
  keyPrefix: string,
  skuOf: (n: number) => string,
  apiKey?: string,
): Promise<Load> {
  let n = 0;
  return closedLoop(url, settings, {
    path: '/inventory/reserve',
    apiKey,
    nextBody: () => JSON.stringify(holdOf(keyPrefix, skuOf, n++)),
  });
}

/**
 * As `reserveLoad`, through POST /inventory/reserve/bulk: each request carries `bulkSize` holds
 * (the n-th hold of the run for SKU `skuOf(n)`, its own key); every answer is read to count the
 * holds made and refused.
 */
export async function bulkReserveLoad(
  url: string,
  settings: LoadSettings,
  keyPrefix: string,
  skuOf: (n: number) => string,
  bulkSize: number,
): Promise<BulkLoad> {
  let n = 0;
  let heldEntries = 0;
  let refusedEntries = 0;
  const load = await closedLoop(url, settings, {
    path: '/inventory/reserve/bulk',
    nextBody: () =>
      JSON.stringify({
        items: Array.from({ length: bulkSize }, () => holdOf(keyPrefix, skuOf, n++)),
      }),
    onAnswer: (body) => {
      for (const entry of (JSON.parse(body) as { items: { ok: boolean }[] }).items) {
        if (entry.ok) heldEntries++;
        else refusedEntries++;
      }
    },
  });
  return { ...load, heldEntries, refusedEntries };
}

/** POSTs to `path` in a closed loop, each body from `nextBody`; `onAnswer` reads 200 bodies. */
async function closedLoop(
  url: string,
  settings: LoadSettings,
  request: {
    readonly path: string;
    readonly apiKey?: string | undefined;
    readonly nextBody: () => string;
    readonly onAnswer?: (body: string) => void;
  },
): Promise<Load> {
  const statuses: Record<string, number> = {};
  const { apiKey, nextBody, onAnswer } = request;
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: [
      {
        method: 'POST',
        path: request.path,
        headers: {
          'content-type': 'application/json',
          ...(apiKey !== undefined && { authorization: `Bearer ${apiKey}` }),
        },
        setupRequest: (next) => {
          next.body = nextBody();
          return next;
        },
        onResponse: (status, body) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 200 && onAnswer !== undefined) onAnswer(body);
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    completedRequests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
  };
}
