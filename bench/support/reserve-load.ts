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
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: [
      {
        method: 'POST',
        path: '/inventory/reserve',
        headers: {
          'content-type': 'application/json',
          ...(apiKey !== undefined && { authorization: `Bearer ${apiKey}` }),
        },
        setupRequest: (request) => {
          const k = n++;
          request.body = JSON.stringify({
            idempotencyKey: `${keyPrefix}-${k}`,
            sku: skuOf(k),
            warehouseId: 'WH-1',
            quantity: 1,
            ttlSeconds: 3600,
          });
          return request;
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
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

export interface BulkLoad extends Load {
  /** Holds answered ok (made or repeated) over all bulk requests with status 200. */
  readonly heldEntries: number;
  /** Holds answered with a code instead (e.g. OVERLOADED): a run with any is not comparable. */
  readonly refusedEntries: number;
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
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: [
      {
        method: 'POST',
        path: '/inventory/reserve/bulk',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const items = Array.from({ length: bulkSize }, () => {
            const k = n++;
            return {
              idempotencyKey: `${keyPrefix}-${k}`,
              sku: skuOf(k),
              warehouseId: 'WH-1',
              quantity: 1,
              ttlSeconds: 3600,
            };
          });
          request.body = JSON.stringify({ items });
          return request;
        },
        onResponse: (status, body) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== 200) return;
          for (const entry of (JSON.parse(body) as { items: { ok: boolean }[] }).items) {
            if (entry.ok) heldEntries++;
            else refusedEntries++;
          }
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
    heldEntries,
    refusedEntries,
  };
}
