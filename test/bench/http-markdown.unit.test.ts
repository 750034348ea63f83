import { describe, expect, it } from 'vitest';
import { engineWindow } from '../../bench/support/engine-counters.ts';
import { httpMarkdown } from '../../bench/support/http-markdown.ts';
import type { HttpResults, WorkloadResult } from '../../bench/support/http-results.ts';
import { machineWindow } from '../../bench/support/machine-window.ts';

const load = { completedRequests: 1_000, p50Ms: 2, p99Ms: 9, statuses: { 201: 1_000 }, errors: 0 };

function workload(name: 'W1' | 'W2', rate: number, extra: Partial<WorkloadResult> = {}) {
  return {
    ...load,
    workload: name,
    workloadLabel: name,
    requestsPerSecond: rate,
    cpu: { microsecondsPerRequest: 50, parts: [] },
    ...extra,
  } satisfies WorkloadResult;
}

const results = (subjects: HttpResults['subjects']): HttpResults => ({
  takenAt: '2026-12-03T00:00:00.000Z',
  machine: 'test machine',
  settings: { connections: 64, seconds: 5, warmupSeconds: 2, itemCount: 100, postgresPoolSize: 1 },
  subjects,
  ratios: [],
  goals: [],
});

describe('bench/http figures of the machine', () => {
  it('idle share over all cores, load generator CPU per completed request', () => {
    const before = { idleTicks: 100, totalTicks: 1_000, ownMicroseconds: 5_000 };
    const after = { idleTicks: 150, totalTicks: 1_200, ownMicroseconds: 55_000 };
    expect(machineWindow(before, after, 1_000)).toEqual({
      idleShare: 0.25,
      loadGeneratorMicrosecondsPerRequest: 50,
    });
    expect(machineWindow(before, before, 0)).toEqual({
      idleShare: 0,
      loadGeneratorMicrosecondsPerRequest: 0,
    });
  });

  it('commit seconds per second of the window, summed over workers', () => {
    const before = { batchRequests: 0, batches: 0, commitSeconds: 1, commits: 10 };
    const after = { batchRequests: 2_500, batches: 100, commitSeconds: 3.5, commits: 110 };
    expect(engineWindow(before, after, 5)).toEqual({
      batchRequestsMean: 25,
      commitMillisecondsMean: 25,
      commitSecondsPerSecond: 0.5,
    });
  });

  it('the README lists each server with both workloads measured, and leaves out older results', () => {
    const machine = (idleShare: number, micros: number) => ({
      machine: { idleShare, loadGeneratorMicrosecondsPerRequest: micros },
    });
    const markdown = httpMarkdown(
      results([
        {
          name: 'bare',
          label: 'bare',
          workloads: [
            workload('W1', 100, machine(0.02, 51.4)),
            workload('W2', 90, machine(0.04, 49)),
          ],
        },
        // Results written before the machine was measured have none: no line for them.
        { name: 'redis', label: 'redis', workloads: [workload('W1', 80), workload('W2', 70)] },
      ]),
    );
    expect(markdown).toContain('- bare: 2 % / 4 % idle, 51 µs / 49 µs');
    expect(markdown).not.toContain('- redis:');
    expect(httpMarkdown(results([]))).not.toContain('The machine during each run');
  });
});
