import { microsecondsPerTick, type ThreadCpu } from './thread-cpu.ts';

/** A thread sorted into a named part of a server (its main thread, the redis-server, …). */
export interface PartThread extends ThreadCpu {
  readonly part: string;
  /** False for shared processes shown for context only (PostgreSQL's background processes). */
  readonly counted: boolean;
}

export interface CpuPart {
  readonly part: string;
  readonly counted: boolean;
  readonly microsecondsPerRequest: number;
}

export interface CpuPerRequest {
  /** All counted parts together. */
  readonly microsecondsPerRequest: number;
  readonly parts: readonly CpuPart[];
}

/**
 * CPU charged to each part between two samples, per completed request. A thread born in the
 * window counts from zero; one that ended inside it is missed (its time is gone from /proc), so
 * servers whose threads come and go must keep them for the run.
 */
export function cpuPerRequest(
  before: readonly PartThread[],
  after: readonly PartThread[],
  requests: number,
): CpuPerRequest {
  const ticksBefore = new Map(before.map((thread) => [keyOf(thread), thread.ticks]));
  const parts = new Map<string, { counted: boolean; ticks: number }>();
  for (const thread of after) {
    const part = parts.get(thread.part) ?? { counted: thread.counted, ticks: 0 };
    part.ticks += thread.ticks - (ticksBefore.get(keyOf(thread)) ?? 0);
    parts.set(thread.part, part);
  }
  const perRequest = (ticks: number) =>
    requests > 0 ? (ticks * microsecondsPerTick) / requests : 0;
  const list = [...parts].map(([part, { counted, ticks }]) => ({
    part,
    counted,
    microsecondsPerRequest: perRequest(ticks),
  }));
  return {
    microsecondsPerRequest: list
      .filter((part) => part.counted)
      .reduce((sum, part) => sum + part.microsecondsPerRequest, 0),
    parts: list,
  };
}

const keyOf = (thread: ThreadCpu) => `${thread.pid}/${thread.tid}`;
