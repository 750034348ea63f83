import type { Store } from '../../src/checkpoint/store.ts';
import type { CrashPoint, FaultInjector } from './faults.ts';
import type { Prng } from './prng.ts';

/** The writes the engine makes to its store, by what they are for. */
export type WriteKind =
  | 'commit'
  | 'compaction'
  | 'snapshot'
  | 'truncation'
  | 'published-position'
  | 'start-up-compaction';

/** Which write each store call is; a call not listed here fails the run, to be taught. */
const asynchronousWrites: Readonly<Record<string, WriteKind>> = {
  'root.transaction': 'compaction',
  'snapshots.put': 'snapshot',
  'log.transaction': 'truncation',
  'meta.put': 'published-position',
};
const synchronousWrites: Readonly<Record<string, WriteKind>> = {
  'wal.putSync': 'commit',
  'root.transactionSync': 'start-up-compaction',
};

export interface LandedWrite {
  readonly kind: WriteKind;
  /** The value of a single put (a commit's write-ahead record). */
  readonly value?: unknown;
  /** It did not land: the disk refused it (WriteFailures). */
  readonly failed?: true;
}

interface QueuedWrite {
  readonly kind: WriteKind;
  readonly land: () => unknown;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly done: Promise<unknown>;
}

/** Writes that may fail instead of landing, as on a full disk (start-up's never does). */
const failingWrites: ReadonlySet<WriteKind> = new Set([
  'commit',
  'compaction',
  'snapshot',
  'truncation',
]);

/** Decides which writes fail: from a random stream of its own, so crashes stay where they were. */
export interface WriteFailures {
  readonly random: Prng;
  readonly chance: number;
  /** Writes that failed instead of landing, by kind (over every life of the machine). */
  readonly failed: Map<WriteKind, number>;
}

/** What LMDB reports when a page cannot be written for lack of space. */
function noSpace(): Error {
  return Object.assign(new Error('No space left on device (simulated)'), { code: 28 });
}

/**
 * The store as the engine sees it, over a real LMDB store in a temp directory, with the disk's
 * timing in the simulator's hands. Synchronous writes (a commit's write-ahead record, start-up
 * compaction) land at once; asynchronous ones (compaction, snapshots, truncation, the published
 * position) wait in a queue, in order — as lmdb-js commits them — until the simulator lands them
 * one by one. Each write is two crash points, before and after it lands, and a crash drops
 * whatever is still queued: the writes a killed process had not committed.
 *
 *   engine ──putSync──────────────────────────────► LMDB           (commit: lands now)
 *          ──put/remove/transaction──► queue ──land──► LMDB        (when the simulator says)
 *
 * Reads go straight to LMDB, so they see only what has landed, as a reader of a real store sees
 * only what is committed. Values are copied when queued, as lmdb-js copies them.
 */
export class SimDisk {
  readonly store: Store;
  readonly #real: Store;
  readonly #faults: FaultInjector;
  readonly #onLanded: (write: LandedWrite) => void;
  readonly #failures: WriteFailures | undefined;
  #queue: QueuedWrite[] = [];
  /** Inside a landing transaction, the engine's puts are part of it and land with it. */
  #transactionDepth = 0;

  constructor(
    real: Store,
    faults: FaultInjector,
    onLanded: (write: LandedWrite) => void,
    failures?: WriteFailures,
  ) {
    this.#real = real;
    this.#faults = faults;
    this.#onLanded = onLanded;
    this.#failures = failures;
    this.store = {
      dataDir: real.dataDir,
      file: real.file,
      root: this.#intercept('root', real.root),
      log: this.#intercept('log', real.log),
      wal: this.#intercept('wal', real.wal),
      snapshots: this.#intercept('snapshots', real.snapshots),
      meta: this.#intercept('meta', real.meta),
      close: () => this.close(),
    };
  }

  get queuedWrites(): number {
    return this.#queue.length;
  }

  /** What the oldest queued write is for. */
  get nextWrite(): WriteKind | undefined {
    return this.#queue[0]?.kind;
  }

  /** Lands the oldest queued write (a crash point before and after), or fails it. */
  landNext(): void {
    const write = this.#queue[0]!;
    this.#faults.point(`${write.kind}:before`);
    this.#queue.shift();
    if (this.#fails(write.kind)) {
      this.#onLanded({ kind: write.kind, failed: true });
      write.reject(noSpace());
      return;
    }
    const result = write.land();
    this.#onLanded({ kind: write.kind });
    write.resolve(result);
    this.#faults.point(`${write.kind}:after`);
  }

  /** The process died: what is queued never happens, and whoever awaits it waits forever. */
  crash(): void {
    this.#queue = [];
  }

  close(): Promise<void> {
    return this.#real.close();
  }

  #intercept<T extends object>(name: string, target: T): T {
    return new Proxy(target, {
      get: (object, property) => {
        const call = `${name}.${String(property)}`;
        if (property === 'flushed') return this.#flushed();
        if (property === 'transaction' || property === 'transactionSync') {
          return (work: () => unknown) => this.#transaction(call, work);
        }
        if (['put', 'remove', 'putSync', 'removeSync'].includes(property as string)) {
          return (...args: unknown[]) => this.#write(call, object, property as string, args);
        }
        const value = Reflect.get(object, property, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  }

  #write(call: string, db: object, operation: string, args: unknown[]): unknown {
    const real = db as Record<string, (...a: unknown[]) => unknown>;
    const synchronousOperation = operation.endsWith('Sync') ? operation : `${operation}Sync`;
    if (this.#transactionDepth > 0) return real[synchronousOperation]!(...args);
    const copied = args.map((arg) => (arg instanceof Uint8Array ? arg.slice() : arg));
    const land = () => real[synchronousOperation]!(...copied);
    if (operation.endsWith('Sync')) {
      const kind = kindOf(synchronousWrites, call);
      return this.#landNow(kind, land, copied[1]);
    }
    return this.#enqueue(kindOf(asynchronousWrites, call), land);
  }

  #transaction(call: string, work: () => unknown): unknown {
    const land = () =>
      this.#real.root.transactionSync(() => {
        this.#transactionDepth++;
        try {
          return work();
        } finally {
          this.#transactionDepth--;
        }
      });
    if (call.endsWith('Sync')) return this.#landNow(kindOf(synchronousWrites, call), land);
    return this.#enqueue(kindOf(asynchronousWrites, call), land);
  }

  #landNow(kind: WriteKind, land: () => unknown, value?: unknown): unknown {
    this.#faults.point(`${kind}:before` as CrashPoint);
    if (this.#fails(kind)) {
      this.#onLanded({ kind, failed: true });
      throw noSpace();
    }
    const result = land();
    this.#onLanded({ kind, value });
    this.#faults.point(`${kind}:after` as CrashPoint);
    return result;
  }

  #enqueue(kind: WriteKind, land: () => unknown): Promise<unknown> {
    // A crashed process writes nothing more; what it awaits never comes.
    if (this.#faults.crashedAt !== undefined) return new Promise(() => {});
    let resolve!: (result: unknown) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // What the engine awaits sees the failure; `flushed`, which nothing may rely on, does not.
    const landed = done.catch(() => undefined);
    this.#queue.push({ kind, land, resolve, reject, done: landed });
    return done;
  }

  #fails(kind: WriteKind): boolean {
    if (this.#failures === undefined || !failingWrites.has(kind)) return false;
    if (!this.#failures.random.chance(this.#failures.chance)) return false;
    const { failed } = this.#failures;
    failed.set(kind, (failed.get(kind) ?? 0) + 1);
    return true;
  }

  #flushed(): Promise<unknown> {
    return this.#queue.at(-1)?.done ?? Promise.resolve(true);
  }
}

function kindOf(writes: Readonly<Record<string, WriteKind>>, call: string): WriteKind {
  const kind = writes[call];
  if (kind === undefined) {
    throw new Error(
      `the simulated disk does not know the write ${call}: teach test/sim/sim-disk.ts`,
    );
  }
  return kind;
}
