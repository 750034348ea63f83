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
