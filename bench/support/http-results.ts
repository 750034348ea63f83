import type { CpuPerRequest } from './cpu-window.ts';
import type { EngineWindow } from './engine-counters.ts';
import type { MachineWindow } from './machine-window.ts';
import type { Load } from './reserve-load.ts';
import type { SubjectName } from './subject.ts';
import type { WorkloadName } from './workloads.ts';

/** What bench/http writes to bench/results/http.json, and what the README table is made from. */
export interface HttpResults {
  readonly takenAt: string;
  readonly machine: string;
  readonly settings: {
    readonly connections: number;
    /** Length of one measurement (one server, one workload, one round). */
    readonly seconds: number;
    /** Each server's figures are those of its median round (servers measured in turn). */
    readonly rounds?: number;
    /** Unmeasured load before W1, once per server. */
    readonly warmupSeconds: number;
    readonly itemCount: number;
    readonly postgresPoolSize: number;
  };
  readonly subjects: readonly SubjectResult[];
  readonly ratios: readonly Ratio[];
  readonly goals: readonly Goal[];
}

export interface SubjectResult {
  readonly name: SubjectName;
  readonly label: string;
  readonly workloads: readonly WorkloadResult[];
}

export interface WorkloadResult extends Load {
  readonly workload: WorkloadName;
  readonly workloadLabel: string;
  readonly cpu: CpuPerRequest;
  /** The whole machine and the load generator over the load window (absent in older results). */
  readonly machine?: MachineWindow;
  /** stockd only, over the load window. */
  readonly engine?: EngineWindow;
}

/** stockd's req/s over a baseline's, in one workload. */
export interface Ratio {
  readonly workload: WorkloadName;
  readonly baseline: SubjectName;
  readonly value: number;
}

export interface Goal {
  readonly workload: WorkloadName;
  readonly goal: string;
  readonly measured: string;
  readonly status: 'met' | 'missed' | 'not measured';
}

export function resultOf(
  results: Pick<HttpResults, 'subjects'>,
  subject: SubjectName,
  workload: WorkloadName,
): WorkloadResult | undefined {
  return results.subjects
    .find((candidate) => candidate.name === subject)
    ?.workloads.find((candidate) => candidate.workload === workload);
}
