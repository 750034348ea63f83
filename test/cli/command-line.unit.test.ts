import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command-failure.ts';
import { invocationOf } from '../../src/cli/command-line.ts';
import { parseOptions } from '../../src/cli/parse-options.ts';
import { usages } from '../../src/cli/usage.ts';
import { configFlagOptions } from '../../src/config/config.ts';

function usageErrorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('no usage error');
}

describe('the command line', () => {
  it.each([
    [[], { kind: 'run', command: 'serve', argv: [] }],
    [['--port', '9000'], { kind: 'run', command: 'serve', argv: ['--port', '9000'] }],
    [['import', 'a.csv'], { kind: 'run', command: 'import', argv: ['a.csv'] }],
    [['inspect', '--help'], { kind: 'run', command: 'inspect', argv: ['--help'] }],
    [['--help'], { kind: 'help', text: usages.stockd }],
    [['-h'], { kind: 'help', text: usages.stockd }],
    [['help'], { kind: 'help', text: usages.stockd }],
    [['help', 'project'], { kind: 'help', text: usages.project }],
  ])('reads %j as %o', (argv, invocation) => {
    expect(invocationOf(argv)).toEqual(invocation);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['serv'], 'unknown command "serv" (did you mean serve?)'],
    [['help', 'nothing'], 'unknown command "nothing"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageErrorOf(() => invocationOf(argv))).toBe(message);
  });
});

describe('options, parsed strictly', () => {
  const service = { options: configFlagOptions(), usage: usages.serve };

  it('takes every configuration variable as a flag, and the short names', () => {
    const { values } = parseOptions(
      ['--data-dir', 'd', '--stockd-relay-idle-poll-ms=20', '--port', '1', '-h'],
      service,
    );
    expect(values).toMatchObject({
      'data-dir': 'd',
      'stockd-relay-idle-poll-ms': '20',
      port: '1',
      help: true,
    });
  });

  it.each([
    [['--prot', '19105'], 'unknown option --prot (did you mean --port?)'],
    [
      ['--stockd-relay-idle-pol-ms', '2'],
      'unknown option --stockd-relay-idle-pol-ms (did you mean --stockd-relay-idle-poll-ms?)',
    ],
    [['--zzzzzz'], 'unknown option --zzzzzz'],
    [['--port'], "Option '--port <value>' argument missing"],
    [['serve'], "Unexpected argument 'serve'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageErrorOf(() => parseOptions(argv, service))).toBe(message);
  });
});
