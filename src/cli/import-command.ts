import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { validateCommand } from '../domain/validate-command.ts';
import { CommandFailure, UsageError } from './command-failure.ts';
import { parseReceiptLine, type ReceiptLine } from './csv-receipts.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { parseOptions } from './parse-options.ts';
import { progressReporter } from './progress.ts';
import { postReceipts, type Server } from './receipts-client.ts';
import { usages } from './usage.ts';

const batchSizeMax = 10_000;

/**
 * `stockd import <file.csv> [--url URL] [--api-key KEY] [--batch N]`: bulk stock receipts
 * through a running server's POST /inventory/receipts (a second process never writes a data
 * directory). Lines: `sku,warehouseId,quantity[,reason]`. Exit 0 only if every line was
 * received. The key (inventory:admin) comes from --api-key or STOCKD_API_KEY; the environment
 * keeps it out of `ps` and shell history.
 */
export async function importCommand(argv: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions(argv, {
    options: {
      url: { type: 'string', default: process.env.STOCKD_URL ?? 'http://127.0.0.1:8080' },
      'api-key': { type: 'string' },
      batch: { type: 'string', default: '1000' },
    },
    allowPositionals: true,
    usage: usages.import,
  });
  if (values.help === true) {
    console.log(usages.import);
    return exitCodes.ok;
  }
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError('which CSV file to import?', usages.import);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, usages.import);
  const batchSize = Number(values.batch);
  if (!/^\d+$/.test(values.batch) || batchSize < 1 || batchSize > batchSizeMax) {
    throw new UsageError(
      `--batch ${values.batch}: expected an integer from 1 to ${batchSizeMax}`,
      usages.import,
    );
  }
  if (!URL.canParse(values.url)) {
    throw new UsageError(`--url ${values.url}: not a URL`, usages.import);
  }
  const server = {
    url: values.url.replace(/\/+$/, ''),
    apiKey: values['api-key'] ?? nonEmpty(process.env.STOCKD_API_KEY),
  };
  return importFile(file, server, batchSize);
}

const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

async function importFile(file: string, server: Server, batchSize: number): Promise<ExitCode> {
  const total = countLines(file);
  const progress = progressReporter(total, 'imported');
  let done = 0;
  let failed = 0;
  let batch: { line: number; receipt: ReceiptLine }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await postReceipts(
      server,
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
  return failed === 0 ? exitCodes.ok : exitCodes.incomplete;
}

const unreadable: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

/** Reads the whole file once, which also checks it can be read before anything is sent. */
function countLines(file: string): number {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = unreadable[code] ?? (error as Error).message;
    throw new CommandFailure(`cannot read ${file}: ${reason}; check the path`, exitCodes.noInput);
  }
  let lines = 0;
  for (const byte of text) if (byte === 10) lines++;
  return text.length > 0 && text.at(-1) !== 10 ? lines + 1 : lines;
}
