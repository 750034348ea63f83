import type { Prng } from './prng.ts';

/**
 * Every place the simulated machine may crash, in the order a batch meets them, with what is on
 * disk at that moment. A write to the store is a crash point twice: before it lands (it never
 * happens) and after (it happened; nothing that follows it in the code ran).
 */
export const crashPoints = {
  appending: 'a batch is decided and applied in memory, its events not all appended yet',
  decided: 'batches are decided and appended to the log writer; no commit has started',
  'commit:before': 'inside the commit, before its write-ahead record is on disk',
  'commit:after': 'the write-ahead record is on disk; the commit has not returned',
  replying: 'the commit returned; no reply has reached a client',
  'compaction:before': 'a compaction (write-ahead records into chunks) is queued, not written',
  'compaction:after': 'a compaction is on disk; the code awaiting it has not resumed',
  'snapshot:before': 'a snapshot is queued, not written',
  'snapshot:after': 'a snapshot is on disk; its log has not been truncated',
  'truncation:before': 'the removal of log chunks is queued, not written',
  'truncation:after': 'log chunks are removed; the code awaiting it has not resumed',
  'published-position:before': 'the relay’s new published position is queued, not written',
  'published-position:after': 'the relay’s new published position is on disk',
  'start-up-compaction:before': 'start-up, before leftover write-ahead records are compacted',
  'start-up-compaction:after': 'start-up, leftover write-ahead records compacted',
  recovering: 'start-up, some partitions recovered, the workers not serving yet',
  idle: 'between two steps, with whatever writes are still queued',
} as const;

export type CrashPoint = keyof typeof crashPoints;

/**
 * How much likelier a crash is at a point than the base chance. Points passed once per batch
 * or per partition appended are visited far more often than a truncation or a start-up: without
 * weights most seeds would never crash at the rare ones.
 */
const weights: Partial<Record<CrashPoint, number>> = {
  appending: 0.5,
  'snapshot:before': 3,
  'snapshot:after': 3,
  'truncation:before': 4,
  'truncation:after': 4,
  'published-position:before': 3,
  'published-position:after': 3,
  'start-up-compaction:before': 6,
  'start-up-compaction:after': 6,
  recovering: 2,
};

/** Thrown at a crash point; everything in memory from then on is abandoned. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
  readonly point: CrashPoint;

  constructor(point: CrashPoint) {
    super(`simulated crash: ${crashPoints[point]}`);
    this.point = point;
  }
}

/**
 * Decides, from its own random stream, whether the machine crashes at each crash point it is
 * shown. Once crashed it stays crashed until `restart()`: code still running in the abandoned
 * process (an awaited write, a continuation) crashes at its next write and reaches nothing.
 */
export class FaultInjector {
  readonly #random: Prng;
  readonly #crashChance: number;
  #crashedAt: CrashPoint | undefined;
  readonly visits = new Map<CrashPoint, number>();
  readonly crashes = new Map<CrashPoint, number>();

  constructor(random: Prng, crashChance: number) {
    this.#random = random;
    this.#crashChance = crashChance;
  }

  /** The point the machine crashed at, until it restarts. */
  get crashedAt(): CrashPoint | undefined {
    return this.#crashedAt;
  }

  /** Throws SimulatedCrash if the machine is down or goes down here. */
  point(point: CrashPoint): void {
    if (this.#crashedAt !== undefined) throw new SimulatedCrash(this.#crashedAt);
    this.visits.set(point, (this.visits.get(point) ?? 0) + 1);
    if (this.#random.chance(this.#crashChance * (weights[point] ?? 1))) this.crash(point);
  }

  /** Crashes here, whatever the odds. */
  crash(point: CrashPoint): never {
    if (this.#crashedAt === undefined) {
      this.#crashedAt = point;
      this.crashes.set(point, (this.crashes.get(point) ?? 0) + 1);
    }
    throw new SimulatedCrash(this.#crashedAt);
  }

  restart(): void {
    this.#crashedAt = undefined;
  }
}
