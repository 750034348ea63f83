import type { PartThread } from './cpu-window.ts';
import type { EngineCounters } from './engine-counters.ts';
import { type ThreadCpu, threadsOf } from './thread-cpu.ts';

export const subjectNames = ['bare', 'stockd', 'redis', 'postgres'] as const;
export type SubjectName = (typeof subjectNames)[number];

/** What every server kind is started with. */
export interface SubjectSettings {
  readonly itemCount: number;
  /** Stock of every item: enough that no reserve of the run is refused. */
  readonly stockQuantity: number;
  readonly postgresAdminUrl: string;
  readonly postgresPoolSize: number;
  /** stockd's one API key (scopes: reserve, admin), which every request carries; none: no keys. */
  readonly apiKey?: string | undefined;
}

/**
 * One server of the comparison, started, stocked and ready for load on `url`: its processes
 * (each its own, apart from the load generator) and how to read their CPU.
 */
export interface Subject {
  readonly name: SubjectName;
  readonly label: string;
  readonly url: string;
  /** Every thread whose CPU is this server's, sorted into parts. */
  threads(): Promise<PartThread[]>;
  /** stockd only: its batching and commit counters. */
  engineCounters?(): Promise<EngineCounters>;
  stop(): Promise<void>;
}

/** All threads of process `pid` as one part (a Node front, redis-server). */
export const wholeProcess = (pid: number, part: string, counted = true): PartThread[] =>
  threadsOf(pid).map((thread: ThreadCpu) => ({ ...thread, part, counted }));
