import { readFileSync } from 'node:fs';
import { limits } from '../domain/limits.ts';
import { patterns } from '../domain/validate-command.ts';
import { type ApiScope, apiScopes, isApiScope } from './api-scopes.ts';
import type { EnvReader } from './env-reader.ts';
import type { AccessSettings, ApiKeyEntry } from './schema.ts';

const nameRe = new RegExp(patterns.identifier);
const sha256Re = /^sha256:([0-9a-f]{64})$/;

/**
 * Who may call the HTTP API. Keys are configured by their hash, never in plain text:
 * `STOCKD_API_KEYS` holds entries separated by `;` or new lines, `STOCKD_API_KEYS_FILE` names
 * a file of them (one per line, `#` comments); each entry is
 *
 *   <name> sha256:<hex of the key's SHA-256> <scope>[,<scope>…]
 *
 * e.g. `shop sha256:9f86…0f00 inventory:read,inventory:reserve`. The name is the `actor` every
 * event of the key's commands carries, so it follows the identifiers' rules. `stockd api-key`
 * makes a key and its entry.
 */
export function readAccess(read: EnvReader): AccessSettings {
  const problems: string[] = [];
  const authentication = read.oneOf('STOCKD_AUTH', 'on', ['on', 'off'] as const);
  const inline = read.optionalString('STOCKD_API_KEYS');
  const file = read.optionalString('STOCKD_API_KEYS_FILE');
  const keys = [
    ...entriesOf('STOCKD_API_KEYS', inline ?? '', problems),
    ...(file === undefined
      ? []
      : entriesOf(`STOCKD_API_KEYS_FILE ${file}`, readKeysFile(file, problems), problems)),
  ];
  checkUnique(keys, problems);
  if (authentication === 'off' && keys.length > 0) {
    problems.push(
      'STOCKD_AUTH=off turns authentication off, yet API keys are configured: remove one or the other',
    );
  }
  for (const problem of problems) read.report(problem);
  const metrics = read.oneOf('STOCKD_METRICS_SCOPE', 'open', ['open', ...apiScopes] as const);
  const requestsMax = read.integer('STOCKD_RATE_LIMIT_REQUESTS_MAX', 0, 0, 10_000_000);
  const windowMs = read.integer('STOCKD_RATE_LIMIT_WINDOW_MS', 1_000, 100, 3_600_000);
  return {
    authentication,
    keys,
    metricsScope: metrics === 'open' ? undefined : metrics,
    rateLimit: requestsMax === 0 ? undefined : { requestsMax, windowMs },
  };
}

function readKeysFile(file: string, problems: string[]): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    problems.push(`STOCKD_API_KEYS_FILE=${file}: cannot read it (${reason})`);
    return '';
  }
}

/** Entries of one source; `where` names it in problems, which never quote a line (it may hold a key pasted by mistake). */
function entriesOf(where: string, text: string, problems: string[]): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  text.split(/[;\n]/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const entry = entryOf(line);
    if (typeof entry === 'string') problems.push(`${where}, entry ${index + 1}: ${entry}`);
    else entries.push(entry);
  });
  return entries;
}

/** The entry of one line (without comments), or what is wrong with it. */
export function entryOf(line: string): ApiKeyEntry | string {
  const fields = line.split(/\s+/);
  if (fields.length !== 3) return 'expected "<name> sha256:<hex> <scope>[,<scope>…]"';
  const [name, hash, scopeList] = fields as [string, string, string];
  if (name.length > limits.actorLengthMax || !nameRe.test(name)) {
    return `the name must be 1 to ${limits.actorLengthMax} letters, digits and . _ : / -`;
  }
  const sha256 = sha256Re.exec(hash.toLowerCase())?.[1];
  if (sha256 === undefined) {
    return `key ${name}: the key must be given as sha256:<64 hex digits> (its hash, never the key itself)`;
  }
  const scopes = scopeList.split(',').filter((scope) => scope !== '');
  const unknown = scopes.filter((scope) => !isApiScope(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    return `key ${name}: scopes must be some of ${apiScopes.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`;
  }
  return { name, sha256, scopes: [...new Set(scopes as ApiScope[])] };
}

function checkUnique(keys: readonly ApiKeyEntry[], problems: string[]): void {
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const key of keys) {
    if (names.has(key.name)) problems.push(`API key ${key.name} is configured twice`);
    if (hashes.has(key.sha256)) problems.push(`API key ${key.name} has the hash of another key`);
    names.add(key.name);
    hashes.add(key.sha256);
  }
}
