import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './command-failure.ts';
import { closestOf } from './suggest.ts';

const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

export interface OptionsSpec<T extends ParseArgsOptionsConfig> {
  readonly options: T;
  /** The command's usage text, shown with any usage error. */
  readonly usage: string;
  readonly allowPositionals?: boolean;
}

/**
 * A command's arguments through util.parseArgs in strict mode, with `-h`/`--help` added: an
 * unknown option, an option without its value or a stray argument is a UsageError that names it
 * (and the option probably meant, for a typo). `help: true` means usage was asked for.
 */
export function parseOptions<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  spec: OptionsSpec<T>,
) {
  const options = { ...spec.options, ...helpOption };
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: spec.allowPositionals ?? false,
      options,
    });
  } catch (error) {
    throw usageErrorOf(error, Object.keys(options), spec.usage);
  }
}

function usageErrorOf(error: unknown, known: readonly string[], usage: string): unknown {
  const { code, message } = error as { code?: string; message: string };
  if (code === undefined || !code.startsWith('ERR_PARSE_ARGS_')) return error;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // "Unknown option '--prot'…": the option as typed.
    const typed = /'([^']+)'/.exec(message)?.[1] ?? '';
    const guess = closestOf(typed.replace(/^-+/, '').split('=')[0]!, known);
    const hint = guess === undefined ? '' : ` (did you mean --${guess}?)`;
    return new UsageError(`unknown option ${typed}${hint}`, usage);
  }
  // util.parseArgs's first sentence names the argument: "Option '--port <value>' argument missing".
  return new UsageError(message.split('. ')[0]!, usage);
}
