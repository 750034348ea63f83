import { execute } from '../../src/actors/execute.ts';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import type { LogEntry } from '../../src/checkpoint/logged-event.ts';
import { partitionOfRequest } from '../../src/engine/route.ts';
import { validateRequest } from '../../src/engine/validate-request.ts';
import type { ManualClock } from '../../src/worker-protocol/clock.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

/**
 * The engine's contract in one thread, for specifications of what runs above it (the order
 * coordinator): every request is validated and routed as the engine does it and executed on a
 * real partition actor (actors/execute.ts), each partition keeping the log of what it applied.
 *
 * `crashAfter(n)` models a process that dies: the next n requests are decided, every one after
 * them is answered SHUTTING_DOWN, as a draining engine answers. What was decided is the log; a
 * restart (`restarted()`) replays it into fresh actors, as recovery does.
 */
export class MemoryEngine {
  readonly identity: { readonly storeId: string; readonly partitionCount: number };
  readonly clock: ManualClock;
  readonly logs: LogEntry[][];
  actors: PartitionActor[];
  #budget = Number.POSITIVE_INFINITY;

  constructor(partitionCount: number, clock: ManualClock, logs?: LogEntry[][]) {
    this.identity = { storeId: 'memory', partitionCount };
    this.clock = clock;
    this.logs = logs ?? Array.from({ length: partitionCount }, () => []);
    this.actors = this.logs.map((log, partition) => {
      const actor = new PartitionActor(partition);
      for (const entry of log) actor.applyEntry(entry);
      return actor;
    });
  }

  crashAfter(requests: number): void {
    this.#budget = requests;
  }

  get crashed(): boolean {
    return this.#budget <= 0;
  }

  /** A new process on the same log (only what was decided survives). */
  restarted(): MemoryEngine {
    return new MemoryEngine(this.identity.partitionCount, this.clock, this.logs);
  }

  submit = async (request: EngineRequest): Promise<EngineResult> => this.#run(request);

  submitMany = async (requests: readonly EngineRequest[]): Promise<EngineResult[]> =>
    requests.map((request) => this.#run(request));

  #run(request: EngineRequest): EngineResult {
    if (this.#budget <= 0) return { ok: false, code: 'SHUTTING_DOWN' };
    this.#budget--;
    const issues = validateRequest(request);
    if (issues !== undefined) return { ok: false, code: 'VALIDATION', issues };
    const partition = partitionOfRequest(request, this.identity.partitionCount);
    if (partition === undefined) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
    const log = this.logs[partition]!;
    return execute(this.actors[partition]!, request, this.clock.nowMs(), (entry) =>
      log.push(entry),
    );
  }
}
