import { parseArgs } from 'node:util';

/**
 * Every configuration variable is also a flag: its name in lower kebab case
 * (STOCKD_RELAY_IDLE_POLL_MS → --stockd-relay-idle-poll-ms), and the most used ones have a short
 * name too (--data-dir for STOCKD_DATA_DIR). A flag wins over the variable.
 */
const shortFlags: Readonly<Record<string, string>> = {
  STOCKD_DATA_DIR: 'data-dir',
  STOCKD_WORKERS: 'workers',
  STOCKD_PARTITIONS: 'partitions',
  STOCKD_LOG_LEVEL: 'log-level',
};

export type FlagOptions = Record<string, { type: 'string' }>;

/** The flags of these variables, each with the variable it sets. */
export function flagsOf(variables: Iterable<string>): ReadonlyMap<string, string> {
  const flags = new Map<string, string>();
  for (const variable of variables) {
    flags.set(variable.toLowerCase().replaceAll('_', '-'), variable);
    const short = shortFlags[variable];
    if (short !== undefined) flags.set(short, variable);
  }
  return flags;
}

/** `util.parseArgs` options for these flags: each takes a value. */
export function flagOptionsOf(flags: ReadonlyMap<string, string>): FlagOptions {
  return Object.fromEntries([...flags.keys()].map((flag) => [flag, { type: 'string' as const }]));
}

/**
 * Reads `--name value` and `--name=value` flags as the variables they stand for. Strict: an
 * unknown flag, a flag without its value or a stray argument throws (util.parseArgs's
 * ERR_PARSE_ARGS_* errors), so a mistyped `--prot 9000` never starts a server on the default
 * port.
 */
export function flagsAsEnv(
  argv: readonly string[],
  flags: ReadonlyMap<string, string>,
): Record<string, string> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: flagOptionsOf(flags) });
  const env: Record<string, string> = {};
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value === 'string') env[flags.get(flag)!] = value;
  }
  return env;
}
