import { UsageError } from './command-failure.ts';
import { closestOf } from './suggest.ts';
import { type CommandName, usages } from './usage.ts';

/** What the first arguments ask for: a usage text, or a command with the rest of them. */
export type Invocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly command: CommandName; readonly argv: readonly string[] };

const commandNames = Object.keys(usages).filter((name) => name !== 'stockd') as CommandName[];

function isCommand(name: string): name is CommandName {
  return (commandNames as string[]).includes(name);
}

/**
 * `stockd [command] [options]`: no command, or options first, is `serve` (so `npm start --
 * --port 9000` works); `--help` and `help [command]` ask for usage. Each command parses its own
 * options, strictly (parse-options.ts).
 */
export function invocationOf(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'run', command: 'serve', argv: [] };
  if (first === '--help' || first === '-h') return { kind: 'help', text: usages.stockd };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help', text: usages.stockd };
    if (isCommand(topic)) return { kind: 'help', text: usages[topic] };
    throw unknownCommand(topic);
  }
  if (first.startsWith('-')) return { kind: 'run', command: 'serve', argv };
  if (isCommand(first)) return { kind: 'run', command: first, argv: rest };
  throw unknownCommand(first);
}

function unknownCommand(name: string): UsageError {
  const guess = closestOf(name, commandNames);
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return new UsageError(`unknown command "${name}"${hint}`, usages.stockd);
}
