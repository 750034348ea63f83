import { CommandFailure } from './command-failure.ts';
import type { ReceiptLine } from './csv-receipts.ts';
import { exitCodes } from './exit-codes.ts';

interface ReceiptsAnswer {
  items?: { ok: boolean; code?: string }[];
  code?: string;
  message?: string;
  details?: { field: string; message: string }[];
}

/** The server receipts go to, and the key to show it (none for a server without keys). */
export interface Server {
  readonly url: string;
  readonly apiKey?: string | undefined;
}

const overloadedAttemptsMax = 10;

/**
 * Posts receipts to a running server's POST /inventory/receipts: one outcome per receipt,
 * undefined when received, else the reason. A server that cannot be reached, or that does not
 * answer like stockd, is a CommandFailure (exit 69), and so is one that refuses the key (exit
 * 77): nothing more can be imported. An overloaded server (503) or a key over its rate limit
 * (429) is waited for, then asked again.
 */
export async function postReceipts(
  server: Server,
  items: readonly ReceiptLine[],
): Promise<(string | undefined)[]> {
  const { url } = server;
  for (let attempt = 1; ; attempt++) {
    const response = await send(server, items);
    const body = await answerOf(url, response);
    if ((response.status === 503 || response.status === 429) && attempt < overloadedAttemptsMax) {
      const retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(200 * attempt, retryAfterMs)));
      continue;
    }
    if (response.status === 401 || response.status === 403) throw refused(server, body);
    if (response.status !== 200 || body.items === undefined) {
      const detail = body.details?.map((d) => `${d.field} ${d.message}`).join('; ');
      return items.map(() => `${body.code ?? response.status}: ${detail ?? body.message}`);
    }
    return body.items.map((item) => (item.ok ? undefined : item.code));
  }
}

/** The server's own words (they never contain the key), and what to do. */
function refused(server: Server, body: ReceiptsAnswer): CommandFailure {
  const remedy =
    server.apiKey === undefined
      ? 'pass a key with the scope inventory:admin (--api-key, or STOCKD_API_KEY)'
      : 'use a key of this server with the scope inventory:admin';
  return new CommandFailure(
    `${server.url} refused the import (${body.code}: ${body.message}): ${remedy}`,
    exitCodes.noPermission,
  );
}

async function send(server: Server, items: readonly ReceiptLine[]): Promise<Response> {
  const { url, apiKey } = server;
  try {
    return await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey !== undefined && { authorization: `Bearer ${apiKey}` }),
      },
      body: JSON.stringify({ items }),
    });
  } catch (error) {
    throw new CommandFailure(
      `cannot reach the stockd server at ${url} (${networkReasonOf(error)}): start it, or point --url (or STOCKD_URL) at it`,
      exitCodes.unavailable,
    );
  }
}

async function answerOf(url: string, response: Response): Promise<ReceiptsAnswer> {
  try {
    return (await response.json()) as ReceiptsAnswer;
  } catch {
    throw new CommandFailure(
      `${url} did not answer like a stockd server (HTTP ${response.status}, not JSON): check --url`,
      exitCodes.unavailable,
    );
  }
}

const networkReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
};

/** fetch() fails with "fetch failed"; what went wrong is in its cause. */
function networkReasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return networkReasons[cause?.code ?? ''] ?? cause?.message ?? (error as Error).message;
}
