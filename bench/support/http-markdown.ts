import { type HttpResults, resultOf, type WorkloadResult } from './http-results.ts';
import { workloadNames } from './workloads.ts';

/**
 * bench/http's results as the Markdown the README shows: one row per server, stockd's CPU per
 * thread with its batching, and the goals.
 */
export function httpMarkdown(results: HttpResults): string {
  const { connections, seconds, rounds, warmupSeconds, itemCount } = results.settings;
  const items = itemCount.toLocaleString('en-US');
  const measurement =
    rounds === undefined
      ? `${seconds} s per workload`
      : `${rounds} rounds of ${seconds} s per server and workload, the servers in turn (each ` +
        `figure the round with the median req/s)`;
  const lines = [
    `POST /inventory/reserve, ${connections} connections, ${measurement}, after ${warmupSeconds} s ` +
      `of unmeasured warm-up per server, unique idempotency keys; W1 uniform over ${items} SKUs, ` +
      `W2 one hot SKU; each server in its own process, the load generator in another. ` +
      `${results.machine}; ${results.takenAt.slice(0, 10)}.`,
    '',
    '| server | W1 req/s | W1 p50 / p99 | W2 req/s | W2 p50 / p99 | server CPU per request W1 / W2 | stockd ÷ this W1 / W2 |',
    '|---|---|---|---|---|---|---|',
    ...results.subjects.map((subject) => {
      const [w1, w2] = workloadNames.map((workload) => resultOf(results, subject.name, workload));
      const ratio = (workload: string) =>
        results.ratios.find((r) => r.workload === workload && r.baseline === subject.name);
      const ratios =
        subject.name === 'stockd'
          ? ''
          : `${times(ratio('W1')?.value)} / ${times(ratio('W2')?.value)}`;
      const name = subject.name === 'stockd' ? `**${subject.label}**` : subject.label;
      return `| ${name} | ${rate(w1)} | ${latency(w1)} | ${rate(w2)} | ${latency(w2)} | ${cpu(w1)} / ${cpu(w2)} | ${ratios} |`;
    }),
  ];
  const stockd = workloadNames.flatMap((workload) => {
    const result = resultOf(results, 'stockd', workload);
    return result ? [`- stockd ${workload}: ${breakdown(result)}`] : [];
  });
  if (stockd.length > 0)
    lines.push('', 'stockd per thread (CPU µs per request) and batching:', '', ...stockd);
  const machine = results.subjects.flatMap((subject) => {
    const [w1, w2] = workloadNames.map((workload) => resultOf(results, subject.name, workload));
    return w1?.machine && w2?.machine
      ? [`- ${subject.name}: ${idle(w1)} / ${idle(w2)} idle, ${generator(w1)} / ${generator(w2)}`]
      : [];
  });
  if (machine.length > 0) {
    lines.push(
      '',
      "The machine during each run (W1 / W2): share of all cores idle, and the load generator's CPU per request (taken from the same cores):",
      '',
      ...machine,
    );
  }
  if (results.goals.length > 0) {
    lines.push('', '| goal | W1 | W2 |', '|---|---|---|');
    const goals = [...new Set(results.goals.map((goal) => goal.goal))];
    for (const goal of goals) {
      const cell = (workload: string) => {
        const found = results.goals.find((g) => g.goal === goal && g.workload === workload);
        return found ? `${found.measured} ${found.status}` : '—';
      };
      lines.push(`| ${goal} | ${cell('W1')} | ${cell('W2')} |`);
    }
  }
  return lines.join('\n');
}

const rate = (result?: WorkloadResult) =>
  result ? Math.round(result.requestsPerSecond).toLocaleString('en-US') : '—';
const latency = (result?: WorkloadResult) =>
  result ? `${result.p50Ms} / ${result.p99Ms} ms` : '—';
const cpu = (result?: WorkloadResult) =>
  result ? `${result.cpu.microsecondsPerRequest.toFixed(0)} µs` : '—';
const times = (value?: number) => (value === undefined ? '—' : `${value.toFixed(2)}×`);
const idle = (result: WorkloadResult) => `${(100 * result.machine!.idleShare).toFixed(0)} %`;
const generator = (result: WorkloadResult) =>
  `${result.machine!.loadGeneratorMicrosecondsPerRequest.toFixed(0)} µs`;

function breakdown(result: WorkloadResult): string {
  const parts = result.cpu.parts
    .filter((part) => part.counted)
    .map((part) => `${part.part} ${part.microsecondsPerRequest.toFixed(1)}`);
  const engine = result.engine
    ? `; mean batch ${result.engine.batchRequestsMean.toFixed(1)} requests, mean commit ${result.engine.commitMillisecondsMean.toFixed(2)} ms, commits under way ${result.engine.commitSecondsPerSecond.toFixed(2)} s per s`
    : '';
  return `${parts.join(', ')}${engine}`;
}
