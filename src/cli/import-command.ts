import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { validateCommand } from '../domain/validate-command.ts';
import { parseReceiptLine, type ReceiptLine } from './csv-receipts.ts';
import { progressReporter } from './progress.ts';

/**
 * `stockd import <file.csv> [--url URL] [--batch N]`: bulk stock receipts through a running
 * server's POST /inventory/receipts (a second process never writes a data directory).
 * Lines: `sku,warehouseId,quantity[,reason]`. Exit 0 only if every line was received.
 */
export async function importCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.STOCKD_URL ?? 'http://127.0.0.1:8080' },
      batch: { type: 'string', default: '1000' },
    },
  });
  const file = positionals[0];
  const batchSize = Number(values.batch);
  if (file === undefined || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    console.error(
      'usage: stockd import <file.csv> [--url http://127.0.0.1:8080] [--batch 1..10000]',
    );
    return 64;
  }
  const total = countLines(file);
  const progress = progressReporter(total, 'imported');
  let done = 0;
  let failed = 0;
  let batch: { line: number; receipt: ReceiptLine }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await postReceipts(
      values.url,
      batch.map((entry) => entry.receipt),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome !== undefined) {
        failed++;
        console.error(`line ${batch[i]!.line}: ${outcome}`);
      }
    });
    done += batch.length;
    progress.update(done);
    batch = [];
  };
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    lineNumber++;
    const parsed = parseReceiptLine(line);
    if (parsed.kind === 'skip') {
      done++;
      continue;
    }
    if (parsed.kind === 'error') {
      failed++;
      done++;
      console.error(`line ${lineNumber}: ${parsed.message}`);
      continue;
    }
    // The server's own rules, checked here so one bad line never fails a whole batch.
    const checked = validateCommand({ type: 'ReceiveStock', ...parsed.receipt });
    if (!checked.ok) {
      failed++;
      done++;
      const reasons = checked.issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
      console.error(`line ${lineNumber}: ${reasons}`);
      continue;
    }
    batch.push({ line: lineNumber, receipt: parsed.receipt });
    if (batch.length === batchSize) await flush();
  }
  await flush();
  progress.finish();
  console.error(failed === 0 ? `done: ${lineNumber} lines` : `done with ${failed} failed lines`);
  return failed === 0 ? 0 : 1;
}

/** One outcome per receipt: undefined when received, else the reason. */
async function postReceipts(url: string, items: ReceiptLine[]): Promise<(string | undefined)[]> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    const body = (await response.json()) as {
      items?: { ok: boolean; code?: string }[];
      code?: string;
      message?: string;
      details?: { field: string; message: string }[];
    };
    if (response.status === 503 && attempt < 10) {
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

function countLines(file: string): number {
  const text = readFileSync(file);
  let lines = 0;
  for (const byte of text) if (byte === 10) lines++;
  return text.length > 0 && text.at(-1) !== 10 ? lines + 1 : lines;
}
