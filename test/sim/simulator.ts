import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import { newestLoggedSeq } from '../../src/checkpoint/log-reader.ts';
import { readPublishedSeq, writePublishedSeq } from '../../src/checkpoint/published-position.ts';
import { StorageWriteError } from '../../src/checkpoint/storage-write-error.ts';
import { openStore } from '../../src/checkpoint/store.ts';
import { partitionOfRequest } from '../../src/engine/route.ts';
import { validateRequest } from '../../src/engine/validate-request.ts';
import { workerOfPartition } from '../../src/partitioner/ownership.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { AcknowledgedOutcomes } from './acknowledged.ts';
import { brokenInvariants, logProblems, replayDifferences } from './checker.ts';
import { DurableLedger } from './durable-ledger.ts';
import { type CrashPoint, FaultInjector, SimulatedCrash } from './faults.ts';
import { type DecidedBatch, type Machine, type SimWorker, startMachine } from './machine.ts';
import { differencesBetween, type PartitionState, stateOf } from './partition-state.ts';
import { Prng } from './prng.ts';
import { configFor, type SimConfig } from './sim-config.ts';
import { type LandedWrite, SimDisk, type WriteFailures, type WriteKind } from './sim-disk.ts';
import { Workload } from './workload.ts';

export interface SimulationOptions {
  readonly seed: number;
  readonly steps: number;
  /** Receives one line per step (`npm run sim -- --trace`). */
  readonly trace?: (line: string) => void;
  /** Plants a bug — replies sent before the commit — to show that the checks catch it. */
  readonly replyBeforeCommit?: boolean;
}

export interface SimulationReport {
  readonly seed: number;
  readonly steps: number;
  readonly config: SimConfig;
  /** Starts of the machine, the first one included (a crash at start-up adds one). */
  readonly lives: number;
  readonly requests: number;
  readonly acknowledged: number;
  /** Events in the log at the end, all partitions. */
  readonly events: number;
  readonly crashes: ReadonlyMap<CrashPoint, number>;
  /** Store writes that failed instead of landing (a full disk), by kind. */
  readonly failedWrites: ReadonlyMap<WriteKind, number>;
  /** Partitions reloaded from the store after a failed commit. */
  readonly reloads: number;
  /** Replies by request type and outcome, e.g. `Reserve IDEMPOTENCY_KEY_REUSED`. */
  readonly outcomes: ReadonlyMap<string, number>;
  /** Holds expired through the logged path. */
  readonly expired: number;
  /** Steps after which every partition was rebuilt from the store and compared. */
  readonly replayChecks: number;
  /** Changes if anything about the run changes: same seed, same hash. */
  readonly traceHash: string;
}

/** A check failed: the seed and the step reproduce it exactly. */
export class SimulationFailure extends Error {
  override name = 'SimulationFailure';
  readonly seed: number;
  readonly step: number;
  /** The command that runs this seed again, step by step. */
  readonly reproduce: string;

  constructor(seed: number, steps: number, step: number, message: string, cause?: unknown) {
    super(`seed ${seed}, step ${step}: ${message}`, { cause });
    this.seed = seed;
    this.step = step;
    this.reproduce = `npm run sim -- --seed ${seed} --steps ${steps} --trace`;
  }
}

/** What happens next on the machine, and how often, relative to the rest. */
const actions = {
  /** A client batch reaches the workers owning its items; each decides its part. */
  decide: 30,
  /** A worker commits everything it decided (one record, group commit) and replies. */
  commit: 24,
  /** A worker expires, forgets, snapshots or truncates; snapshots wait for the disk. */
  housekeeping: 10,
  /** The disk lands some of the asynchronous writes queued. */
  land: 18,
  clock: 8,
  /** The relay publishes part of a partition's log (replication on). */
  publish: 3,
  /** The machine dies between two steps, with queued writes lost. */
  crash: 1,
  /** A clean shutdown and start, maybe with another number of workers. */
  restart: 1,
} as const;

type Action = keyof typeof actions | 'start' | 'final restart';

const startMs = Date.parse('2030-01-01T00:00:00.000Z');

/**
 * Deterministic simulation of the engine (after TigerBeetle's VOPR): one seed drives the world's
 * shape, the clients' workload, the order of events on the machine and the crashes. The engine
 * runs for real — actors, the worker runtime, the log writer, recovery, a real LMDB store in a
 * temp directory — in this one thread, with the clock and the disk's timing in the simulator's
 * hands, so a seed always runs the same way.
 *
 *   step: decide | commit+reply | housekeeping | land writes | clock | publish | crash | restart
 *         └─ any crash point (faults.ts) ─► abandon memory, drop queued writes ─► restart
 *         └─ a write that fails (a full disk) ─► its batches refused ─► the worker reloads
 *   check after every step: no oversell, reserved = Σ held, every acknowledged outcome kept,
 *         replay equals live, a whole log; after a restart: exactly what was committed.
 */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const simulation = new Simulation(options);
  try {
    return await simulation.run();
  } finally {
    await simulation.dispose();
  }
}

class Simulation {
  readonly #seed: number;
  readonly #steps: number;
  readonly #trace: ((line: string) => void) | undefined;
  readonly #replyBeforeCommit: boolean;
  readonly #config: SimConfig;
  readonly #scheduler: Prng;
  readonly #faults: FaultInjector;
  readonly #workload: Workload;
  readonly #model: AcknowledgedOutcomes;
  readonly #ledger: DurableLedger;
  readonly #writeFailures: WriteFailures;
  #reloads = 0;
  /** Reservations the engine forgot after their retention (a spy on PartitionActor.forget). */
  readonly #forgotten = new Set<string>();
  readonly #dataDir = mkdtempSync(join(tmpdir(), 'stockd-sim-'));
  #clockMs = startMs;
  #machine: Machine | undefined;
  #step = 0;
  #lives = 0;
  #requests = 0;
  #commandIdsSent = 0;
  readonly #outcomes = new Map<string, number>();
  #expired = 0;
  #replayChecks = 0;
  #hash = 0x811c9dc5;
  /** A failure inside housekeeping left running, reported after the step. */
  #failure: unknown;

  constructor(options: SimulationOptions) {
    this.#seed = options.seed;
    this.#steps = options.steps;
    this.#trace = options.trace;
    this.#replyBeforeCommit = options.replyBeforeCommit === true;
    const random = new Prng(options.seed);
    this.#config = configFor(random.fork());
    this.#scheduler = random.fork();
    this.#faults = new FaultInjector(random.fork(), this.#config.crashChance);
    this.#workload = new Workload(random.fork(), this.#config);
    this.#writeFailures = {
      random: random.fork(),
      chance: this.#config.writeFailureChance,
      failed: new Map(),
    };
    // Fewer commandIds sent than a partition remembers: every applied one is still known.
    const window = this.#config.housekeeping.recentCommandsMax;
    this.#model = new AcknowledgedOutcomes(
      this.#config.partitionCount,
      () => this.#commandIdsSent < window,
    );
    this.#ledger = new DurableLedger(this.#config.partitionCount);
  }

  async run(): Promise<SimulationReport> {
    await this.#attempt('start', () => this.#start());
    for (this.#step = 1; this.#step <= this.#steps; this.#step++) {
      const action = this.#scheduler.weighted(actions);
      await this.#attempt(action, () => this.#perform(action));
    }
    await this.#attempt('final restart', () => this.#restart());
    const machine = this.#machine!;
    let events = 0;
    for (const actor of machine.actors.values()) events += actor.nextSeq - 1;
    return {
      seed: this.#seed,
      steps: this.#steps,
      config: this.#config,
      lives: this.#lives,
      requests: this.#requests,
      acknowledged: this.#model.acknowledgedCount,
      events,
      crashes: this.#faults.crashes,
      failedWrites: this.#writeFailures.failed,
      reloads: this.#reloads,
      outcomes: this.#outcomes,
      expired: this.#expired,
      replayChecks: this.#replayChecks,
      traceHash: (this.#hash >>> 0).toString(16).padStart(8, '0'),
    };
  }

  async dispose(): Promise<void> {
    this.#machine?.disk.crash();
    await this.#machine?.disk.close();
    this.#machine = undefined;
    rmSync(this.#dataDir, { recursive: true, force: true });
  }

  /** Runs one step; a crash anywhere in it means a restart; then every check. */
  async #attempt(action: Action, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof SimulationFailure) throw error;
      if (!(error instanceof SimulatedCrash)) throw this.#failed(action, error);
    }
    await settle();
    if (this.#failure !== undefined) throw this.#failed(action, this.#failure);
    if (this.#faults.crashedAt !== undefined) {
      try {
        await this.#recoverFromCrash();
      } catch (error) {
        throw error instanceof SimulationFailure ? error : this.#failed(action, error);
      }
    }
    const problems = this.#checkLive();
    if (problems.length > 0) throw this.#failed(action, problems);
  }

  #perform(action: Action): Promise<void> | void {
    switch (action) {
      case 'decide':
        return this.#decide();
      case 'commit': {
        const waiting = this.#machine!.workers.filter((worker) => worker.decided.length > 0);
        if (waiting.length === 0) return this.#note('commit: nothing decided');
        return this.#commitAndReply(this.#scheduler.pick(waiting));
      }
      case 'housekeeping':
        return this.#housekeeping(this.#scheduler.pick(this.#machine!.workers));
      case 'land':
        return this.#land(this.#scheduler.int(1, 3));
      case 'clock':
        return this.#advanceClock();
      case 'publish':
        return this.#publish();
      case 'crash':
        this.#note('crash');
        this.#faults.crash('idle');
        return;
      case 'restart':
      case 'final restart':
        return this.#restart();
      case 'start':
        return this.#start();
    }
  }

  #decide(): void {
    const machine = this.#machine!;
    const batch = this.#workload.nextBatch();
    const byWorker = new Map<SimWorker, DecidedBatch>();
    for (const request of batch) {
      if ('commandId' in request && request.commandId !== undefined) this.#commandIdsSent++;
      const issues = validateRequest(request);
      if (issues !== undefined) throw new Error(`the workload sent ${JSON.stringify(request)}`);
      const partition = partitionOfRequest(request, this.#config.partitionCount)!;
      const worker = machine.workers[workerOfPartition(partition, machine.workers.length)]!;
      const part = byWorker.get(worker) ?? {
        requests: [],
        partitions: [],
        results: [],
        number: 0,
      };
      byWorker.set(worker, part);
      part.requests.push(request);
      part.partitions.push(partition);
    }
    this.#requests += batch.length;
    for (const [worker, part] of byWorker) {
      if (worker.runtime.recovering !== undefined) {
        // Held back until the reload (batch-server.ts); here its clients simply send again.
        this.#workload.lost(part.requests);
        this.#note(`decide w${worker.index}: reloading, ${part.requests.length} held back`);
        continue;
      }
      const requests = part.requests.map((request, i) => `${request.type}@p${part.partitions[i]}`);
      this.#note(`decide w${worker.index}: ${requests.join(' ')}`);
      part.results = worker.runtime.decideBatch(part.requests, part.partitions);
      part.number = worker.runtime.decidedBatches;
      worker.decided.push(part);
      this.#faults.point('decided');
    }
  }

  /**
   * What the worker's batch server does once the channel is drained (batch-server.ts). A commit
   * the disk does not take is refused: its clients get STORAGE_FULL and will send again (their
   * replies said nothing happened), and the worker reloads what got ahead of the store.
   */
  #commitAndReply(worker: SimWorker): void {
    if (this.#replyBeforeCommit) this.#reply(worker);
    const { runtime } = worker;
    let failure: StorageWriteError | undefined;
    try {
      runtime.commit();
    } catch (error) {
      if (!(error instanceof StorageWriteError)) throw error;
      failure = error;
    }
    if (failure === undefined) this.#faults.point('replying');
    // A batch a failed commit lost (this one, or a checkpoint's before it) is refused.
    const lost = worker.decided.filter((batch) => !runtime.isDurable(batch.number));
    worker.decided = worker.decided.filter((batch) => runtime.isDurable(batch.number));
    if (lost.length > 0) this.#refuse(worker, lost, failure ?? runtime.lastFailure!);
    this.#reply(worker);
  }

  #refuse(worker: SimWorker, lost: readonly DecidedBatch[], error: StorageWriteError): void {
    const refused = lost.reduce((sum, batch) => sum + batch.requests.length, 0);
    for (const batch of lost) this.#workload.lost(batch.requests);
    this.#note(`commit w${worker.index} failed (${error.message}): ${refused} refused`);
    const recovering = worker.runtime.recovering;
    if (recovering === undefined) return;
    const machine = this.#machine;
    worker.operations++;
    const reloadsBefore = worker.runtime.stats().partitionReloads;
    void recovering.then(() => {
      worker.operations--;
      if (this.#machine !== machine) return;
      const reloaded = worker.runtime.stats().partitionReloads - reloadsBefore;
      this.#reloads += reloaded;
      this.#note(`w${worker.index} reloaded ${reloaded} partition(s)`);
    });
  }

  #reply(worker: SimWorker): void {
    const outcomes: string[] = [];
    for (const batch of worker.decided) {
      batch.results.forEach((result, i) => {
        const request = batch.requests[i]!;
        const broken = this.#model.acknowledge(
          request,
          batch.partitions[i]!,
          result,
          this.#forgotten,
        );
        if (broken.length > 0) throw new Error(broken.join('\n'));
        this.#workload.acknowledged(result);
        const outcome = outcomeOf(result);
        outcomes.push(outcome);
        const key = `${request.type} ${outcome}`;
        this.#outcomes.set(key, (this.#outcomes.get(key) ?? 0) + 1);
      });
    }
    worker.decided = [];
    this.#note(`reply w${worker.index}: ${outcomes.join(' ')}`);
  }

  async #housekeeping(worker: SimWorker): Promise<void> {
    const { runtime } = worker;
    const random = this.#scheduler;
    const kind = random.weighted({ expire: 3, forget: 2, checkpoint: 3, everything: 2 });
    this.#note(`housekeeping w${worker.index}: ${kind}`);
    // Timers and the engine's housekeeping tasks may overlap; two at a time is enough to see it.
    if (kind === 'expire' || worker.operations >= 2) {
      try {
        this.#expired += await runtime.expireDue(random.int(1, 3));
      } catch (error) {
        if (!(error instanceof StorageWriteError)) throw error;
        this.#note(`housekeeping w${worker.index}: expiry not committed: ${error.message}`);
      }
    } else if (kind === 'forget') {
      runtime.forgetSettled(random.int(1, 50));
    } else if (kind === 'checkpoint') {
      const force = random.chance(0.3);
      this.#leaveRunning(worker, runtime.checkpoint(force, force ? Infinity : random.int(1, 3)));
    } else {
      const running = runtime.runHousekeeping().then(({ expired }) => {
        this.#expired += expired;
      });
      this.#leaveRunning(worker, running);
    }
  }

  /** Housekeeping that waits for the disk runs on while other steps happen. */
  #leaveRunning(worker: SimWorker, operation: Promise<unknown>): void {
    const machine = this.#machine;
    worker.operations++;
    operation.then(
      () => worker.operations--,
      (error: unknown) => {
        worker.operations--;
        const abandoned = error instanceof SimulatedCrash || this.#machine !== machine;
        // A write the disk did not take: the runtime refuses and reloads, the step goes on.
        if (!abandoned && !(error instanceof StorageWriteError)) this.#failure ??= error;
      },
    );
  }

  async #land(writesMax: number): Promise<void> {
    const { disk } = this.#machine!;
    if (disk.queuedWrites === 0) return this.#note('land: nothing queued');
    for (let i = 0; i < writesMax && disk.queuedWrites > 0; i++) {
      this.#note(`land ${disk.nextWrite} (${disk.queuedWrites} queued)`);
      disk.landNext();
      await settle();
    }
  }

  #advanceClock(): void {
    const random = this.#scheduler;
    const span = random.weighted({ moment: 14, minutes: 5, long: 1 });
    const ms =
      span === 'moment'
        ? random.int(0, 3_000)
        : span === 'minutes'
          ? random.int(3, 120) * 1_000
          : random.int(2, 15) * 60_000;
    this.#clockMs += ms;
    this.#note(`clock +${ms} ms`);
  }

  /** The relay publishes durable events in order and records how far it got. */
  #publish(): void {
    const machine = this.#machine!;
    const partition = this.#scheduler.int(0, this.#config.partitionCount - 1);
    const store = machine.disk.store;
    const published = machine.published.get(partition) ?? readPublishedSeq(store, partition);
    const newest = newestLoggedSeq(store, partition);
    if (!this.#config.housekeeping.replicationEnabled || newest <= published) {
      this.#note(`publish p${partition}: nothing to publish`);
      return;
    }
    const seq = this.#scheduler.int(published + 1, newest);
    machine.published.set(partition, seq);
    this.#note(`publish p${partition} up to ${seq}`);
    // Its failure would only republish: the relay keeps its position in memory meanwhile.
    writePublishedSeq(store, partition, seq).catch(() => {});
  }

  /** A clean shutdown as the engine's close does it, then a start. */
  async #restart(): Promise<void> {
    const machine = this.#machine!;
    const checkpoint = this.#scheduler.chance(0.7);
    this.#note(`restart (checkpoint: ${checkpoint})`);
    for (const worker of machine.workers) {
      if (worker.decided.length > 0) this.#commitAndReply(worker);
    }
    await this.#drive(() => machine.workers.every((worker) => worker.operations === 0));
    for (const worker of machine.workers) {
      let closed = false;
      const closing = worker.runtime.close(checkpoint).then(() => {
        closed = true;
      });
      await this.#drive(() => closed);
      await closing;
    }
    await this.#drive(() => machine.disk.queuedWrites === 0);
    await machine.disk.close();
    this.#machine = undefined;
    await this.#start();
  }

  /** Lands queued writes until `done`; an operation waiting on no write is a hang. */
  async #drive(done: () => boolean): Promise<void> {
    const { disk } = this.#machine!;
    for (;;) {
      await settle();
      if (this.#failure !== undefined) throw this.#failure;
      if (done()) return;
      if (disk.queuedWrites === 0) throw new Error('housekeeping waits for a write never made');
      disk.landNext();
    }
  }

  async #recoverFromCrash(): Promise<void> {
    const machine = this.#machine!;
    this.#note(`crashed: ${this.#faults.crashedAt}`);
    for (const worker of machine.workers) {
      for (const batch of worker.decided) this.#workload.lost(batch.requests);
    }
    machine.disk.crash();
    await settle();
    await machine.disk.close();
    this.#machine = undefined;
    await this.#start();
  }

  /** Starts the machine (again after a crash during start-up) and checks what it recovered. */
  async #start(): Promise<void> {
    for (;;) {
      this.#faults.restart();
      this.#lives++;
      const workerCount = this.#scheduler.int(1, this.#config.workersMax);
      this.#note(`start with ${workerCount} worker(s)`);
      const disk = new SimDisk(
        openStore(this.#dataDir, { noSync: true }),
        this.#faults,
        (write) => this.#landed(write),
        this.#writeFailures,
      );
      try {
        this.#machine = startMachine({
          config: this.#config,
          dataDir: this.#dataDir,
          disk,
          faults: this.#faults,
          workerCount,
          clock: () => this.#clockMs,
          onActor: (actor) => this.#spyOnForgetting(actor),
        });
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        this.#note(`crashed during start-up: ${error.point}`);
        disk.crash();
        await disk.close();
        continue;
      }
      this.#checkRecovered();
      return;
    }
  }

  /** After a start the engine must hold exactly what was committed, nothing more or less. */
  #checkRecovered(): void {
    const recovered = this.#states();
    const problems = recovered.flatMap((state) =>
      differencesBetween(this.#ledger.get(state.partition), state, this.#forgotten, [
        'committed',
        'recovered',
      ]),
    );
    if (problems.length > 0) throw this.#failed('start', problems);
    this.#ledger.reset(recovered);
  }

  #checkLive(): string[] {
    const machine = this.#machine!;
    const states = this.#states();
    const problems = states.flatMap(brokenInvariants);
    problems.push(...this.#model.check((partition) => states[partition]!, this.#forgotten));
    // Replay equals live once every decision is committed (until then memory is ahead by design)
    // and every reload after a failed commit is done (until then, too).
    const settled = (worker: SimWorker) =>
      worker.decided.length === 0 && worker.runtime.recovering === undefined;
    if (machine.workers.every(settled)) {
      const options = { recentCommandsMax: this.#config.housekeeping.recentCommandsMax };
      this.#replayChecks++;
      problems.push(...replayDifferences(machine.disk.store, states, this.#forgotten, options));
      const replication = this.#config.housekeeping.replicationEnabled;
      for (const state of states)
        problems.push(...logProblems(machine.disk.store, state, replication));
    }
    return problems;
  }

  /** Every partition's state, indexed by partition. */
  #states(): PartitionState[] {
    const { actors } = this.#machine!;
    return Array.from({ length: this.#config.partitionCount }, (_, p) => stateOf(actors.get(p)!));
  }

  #landed(write: LandedWrite): void {
    if (write.failed === true) {
      this.#note(`${write.kind} failed: no space`);
      return;
    }
    if (write.kind !== 'commit') return;
    const { actors } = this.#machine!;
    const problems = this.#ledger.committed(write.value as Uint8Array, (p) => actors.get(p)!);
    if (problems.length > 0) this.#failure ??= new Error(problems.join('\n'));
  }

  #spyOnForgetting(actor: PartitionActor): void {
    const forget = actor.forget.bind(actor);
    actor.forget = (reservationId: string) => {
      this.#forgotten.add(reservationId);
      forget(reservationId);
    };
  }

  /** Adds a line to the run's trace (and its hash). */
  #note(line: string): void {
    const text = `${this.#step} ${line}`;
    for (let i = 0; i < text.length; i++) {
      this.#hash = Math.imul(this.#hash ^ text.charCodeAt(i), 0x01000193);
    }
    this.#trace?.(`[seed ${this.#seed}] step ${text}`);
  }

  #failed(action: Action, problem: unknown): SimulationFailure {
    const message = Array.isArray(problem)
      ? problem.slice(0, 8).join('\n  ')
      : problem instanceof Error
        ? `${problem.name}: ${problem.message}`
        : String(problem);
    const text = `${action}: ${message}`;
    return new SimulationFailure(this.#seed, this.#steps, this.#step, text, problem);
  }
}

function outcomeOf(result: EngineResult): string {
  if (!result.ok) return result.code;
  return result.duplicate ? 'duplicate' : result.applied ? 'applied' : 'unchanged';
}

/** Lets every continuation that can run, run: nothing else moves the simulation. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
