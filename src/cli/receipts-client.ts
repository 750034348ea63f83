import { CommandFailure } from './command-failure.ts';
import type { ReceiptLine } from './csv-receipts.ts';
import { exitCodes } from './exit-codes.ts';

interface ReceiptsAnswer {
  items?: { ok: boolean; code?: string }[];
  code?: string;
  message?: string;
  details?: { field: string; message: string }[];
}

const overloadedAttemptsMax = 10;

/**
 * Posts receipts to a running server's POST /inventory/receipts: one outcome per receipt,
 * undefined when received, else the reason. A server that cannot be reached, or that does not
 * answer like stockd, is a CommandFailure (exit 69): nothing more can be imported.
 */
export async function postReceipts(
  url: string,
  items: readonly ReceiptLine[],
): Promise<(string | undefined)[]> {
  for (let attempt = 1; ; attempt++) {
    const response = await send(url, items);
    const body = await answerOf(url, response);
    if (response.status === 503 && attempt < overloadedAttemptsMax) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    if (response.status !== 200 || body.items === undefined) {
      const detail = body.details?.map((d) => `${d.field} ${d.message}`).join('; ');
      return items.map(() => `${body.code ?? response.status}: ${detail ?? body.message}`);
    }
    return body.items.map((item) => (item.ok ? undefined : item.code));
  }
}

async function send(url: string, items: readonly ReceiptLine[]): Promise<Response> {
  try {
    return await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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
