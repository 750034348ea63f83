import { type Goal, type HttpResults, type Ratio, resultOf } from './http-results.ts';
import { subjectNames } from './subject.ts';
import { workloadNames } from './workloads.ts';

/** stockd over each baseline that ran, in each workload. */
export function ratiosOf(results: Pick<HttpResults, 'subjects'>): Ratio[] {
  return workloadNames.flatMap((workload) => {
    const stockd = resultOf(results, 'stockd', workload);
    return subjectNames
      .filter((baseline) => baseline !== 'stockd')
      .flatMap((baseline) => {
        const other = resultOf(results, baseline, workload);
        if (!stockd || !other || other.requestsPerSecond === 0) return [];
        return [{ workload, baseline, value: stockd.requestsPerSecond / other.requestsPerSecond }];
      });
  });
}

/**
 * Issue 9's goals, every decision fsynced before its reply, at the bench's connections: W1 and
 * W2 each at least 0.75× the bare route, 1.5× Redis and 8× PostgreSQL, p99 at most 5 ms, and at
 * most 45 µs of CPU per reserve in all of stockd's threads together.
 */
export function goalsOf(results: Pick<HttpResults, 'subjects' | 'ratios'>): Goal[] {
  return workloadNames.flatMap((workload) => {
    const stockd = resultOf(results, 'stockd', workload);
    const versus = (baseline: string, at: number, name: string): Goal => {
      const ratio = results.ratios.find((r) => r.workload === workload && r.baseline === baseline);
      return ratio
        ? judge(workload, `≥ ${at}× ${name}`, `${ratio.value.toFixed(2)}×`, ratio.value >= at)
        : unmeasured(workload, `≥ ${at}× ${name}`);
    };
    const p99 = 'p99 ≤ 5 ms';
    const cpu = 'CPU ≤ 45 µs per reserve';
    return [
      versus('bare', 0.75, 'bare route'),
      versus('redis', 1.5, 'Redis'),
      versus('postgres', 8, 'PostgreSQL'),
      stockd
        ? judge(workload, p99, `${stockd.p99Ms} ms`, stockd.p99Ms <= 5)
        : unmeasured(workload, p99),
      stockd
        ? judge(
            workload,
            cpu,
            `${stockd.cpu.microsecondsPerRequest.toFixed(0)} µs`,
            stockd.cpu.microsecondsPerRequest <= 45,
          )
        : unmeasured(workload, cpu),
    ];
  });
}

const judge = (workload: Goal['workload'], goal: string, measured: string, met: boolean): Goal => ({
  workload,
  goal,
  measured,
  status: met ? 'met' : 'missed',
});

const unmeasured = (workload: Goal['workload'], goal: string): Goal => ({
  workload,
  goal,
  measured: '—',
  status: 'not measured',
});
