import type { HttpResults, WorkloadResult } from './http-results.ts';
import { heading, perSecond, ratio, row } from './report.ts';

/** One server in one workload, as soon as it is measured. */
export function printWorkload(result: WorkloadResult): void {
  const label = `${result.workload} (${result.workloadLabel})`;
  row(`${label}: reserves/s`, perSecond(result.requestsPerSecond));
  row('  latency p50 / p99', `${result.p50Ms} ms / ${result.p99Ms} ms`);
  const errors = result.errors > 0 ? `, ${result.errors} without a reply` : '';
  row('  statuses', `${JSON.stringify(result.statuses)}${errors}`);
  row('  CPU per request, all counted parts', microseconds(result.cpu.microsecondsPerRequest));
  for (const part of result.cpu.parts) {
    row(`    ${part.part}`, microseconds(part.microsecondsPerRequest));
  }
  if (result.machine) {
    row('  machine idle (all cores)', percent(result.machine.idleShare));
    row(
      '  load generator CPU per request',
      microseconds(result.machine.loadGeneratorMicrosecondsPerRequest),
    );
  }
  if (result.engine) {
    row('  mean batch size', `${result.engine.batchRequestsMean.toFixed(1)} requests`);
    row(
      '  mean log commit (append → durable)',
      `${result.engine.commitMillisecondsMean.toFixed(2)} ms`,
    );
    row('  log commits under way', `${result.engine.commitSecondsPerSecond.toFixed(2)} s per s`);
  }
}

/** The ratios and the goals, after every server ran. */
export function printSummary(results: HttpResults): void {
  heading('stockd ÷ baselines (req/s, same run)');
  for (const { workload, baseline, value } of results.ratios) {
    row(`${workload} stockd / ${baseline}`, ratio(value));
  }
  heading('throughput goals');
  for (const goal of results.goals) {
    row(`${goal.workload} ${goal.goal}`, `${goal.measured.padEnd(10)} ${goal.status}`);
  }
}

const microseconds = (value: number) => `${value.toFixed(1)} µs`;
const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
