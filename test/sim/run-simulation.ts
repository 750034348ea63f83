/**
 * `npm run sim -- --seeds N [--steps M] [--first F] [--seed S] [--trace]`: runs the deterministic
 * simulation (simulator.ts) for N seeds from F (default: a random start, printed), or for the one
 * seed S. Stops at the first failure and prints the command that reproduces it exactly.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type CrashPoint, crashPoints } from './faults.ts';
import { SimulationFailure, simulate } from './simulator.ts';

const usage = `usage: npm run sim -- [--seeds N] [--steps M] [--first F] [--seed S] [--trace]
  --seeds N   run N seeds (default 10), from --first F (default: random)
  --seed S    run only seed S (reproduces a failure)
  --steps M   steps per seed (default 500)
  --trace     print every step`;

function parse() {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        seeds: { type: 'string', default: '10' },
        steps: { type: 'string', default: '500' },
        first: { type: 'string' },
        seed: { type: 'string' },
        trace: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const number = (name: string, text: string) => {
      const value = Number(text);
      if (!Number.isSafeInteger(value) || value < 0)
        throw new Error(`--${name} takes a whole number`);
      return value;
    };
    const first = values.seed ?? values.first;
    return {
      first: first === undefined ? randomInt(2 ** 31) : number('seed', first),
      seeds: values.seed === undefined ? number('seeds', values.seeds) : 1,
      steps: number('steps', values.steps),
      trace: values.trace,
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(64);
  }
}

const { first, seeds, steps, trace } = parse();
console.log(`simulating ${seeds} seed(s) from ${first}, ${steps} steps each`);
const totals = new Map<CrashPoint, number>();
const outcomes = new Map<string, number>();
let replayChecks = 0;
let expired = 0;
let requests = 0;
let failedWrites = 0;
let reloads = 0;
const startedAt = performance.now();
for (let seed = first; seed < first + seeds; seed++) {
  try {
    const report = await simulate({
      seed,
      steps,
      ...(trace && { trace: (line: string) => console.log(line) }),
    });
    requests += report.requests;
    replayChecks += report.replayChecks;
    expired += report.expired;
    for (const [key, count] of report.outcomes) outcomes.set(key, (outcomes.get(key) ?? 0) + count);
    for (const [point, count] of report.crashes)
      totals.set(point, (totals.get(point) ?? 0) + count);
    const crashes = [...report.crashes].map(([point, count]) => `${point}×${count}`).join(' ');
    const failed = [...report.failedWrites].map(([kind, count]) => `${kind}×${count}`).join(' ');
    failedWrites += [...report.failedWrites.values()].reduce((sum, count) => sum + count, 0);
    reloads += report.reloads;
    console.log(
      `seed ${seed} ok: ${report.lives} lives, ${report.requests} requests, ` +
        `${report.acknowledged} acknowledged, ${report.events} events; crashes ${crashes || 'none'}; ` +
        `failed writes ${failed || 'none'}, ${report.reloads} reloads (trace ${report.traceHash})`,
    );
  } catch (error) {
    if (!(error instanceof SimulationFailure)) throw error;
    console.error(`\nFAILED ${error.message}`);
    if (error.cause instanceof Error && !(error.cause instanceof SimulationFailure)) {
      console.error(error.cause.stack);
    }
    console.error(`\nreproduce: ${error.reproduce}`);
    process.exit(1);
  }
}
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
console.log(`\n${seeds} seed(s) × ${steps} steps passed in ${seconds} s`);
console.log(`${requests} requests, ${expired} holds expired, ${replayChecks} replay checks`);
console.log(`${failedWrites} store writes failed, ${reloads} partitions reloaded after them`);
console.log('replies:');
for (const [key, count] of [...outcomes].sort()) console.log(`  ${key.padEnd(46)} ${count}`);
console.log('crashes by point:');
for (const point of Object.keys(crashPoints) as CrashPoint[]) {
  console.log(`  ${point.padEnd(28)} ${totals.get(point) ?? 0}`);
}
