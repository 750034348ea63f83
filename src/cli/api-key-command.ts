import { randomBytes } from 'node:crypto';
import { entryOf } from '../config/access-section.ts';
import { apiKeyHashOf } from '../config/api-key-hash.ts';
import { UsageError } from './command-failure.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { parseOptions } from './parse-options.ts';
import { usages } from './usage.ts';

/**
 * `stockd api-key <name> <scope>[,<scope>…]`: a new random key (256 bits) and the entry that
 * configures it. The key is printed once, here; the server is only ever given its hash.
 */
export async function apiKeyCommand(argv: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions(argv, {
    options: {},
    allowPositionals: true,
    usage: usages['api-key'],
  });
  if (values.help === true) {
    console.log(usages['api-key']);
    return exitCodes.ok;
  }
  const [name, scopes, extra] = positionals;
  if (name === undefined || scopes === undefined) {
    throw new UsageError('which name and scopes?', usages['api-key']);
  }
  if (extra !== undefined)
    throw new UsageError(`unexpected argument "${extra}"`, usages['api-key']);
  if (/\s/.test(name) || /\s/.test(scopes)) {
    throw new UsageError('a name and a list of scopes without spaces', usages['api-key']);
  }
  const key = `stockd_${randomBytes(32).toString('base64url')}`;
  const entry = `${name} sha256:${apiKeyHashOf(key)} ${scopes}`;
  const checked = entryOf(entry);
  if (typeof checked === 'string') throw new UsageError(checked, usages['api-key']);
  console.log(`key:   ${key}\nentry: ${entry}`);
  return exitCodes.ok;
}
