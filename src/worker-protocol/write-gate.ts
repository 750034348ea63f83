/**
 * Whether writes are refused because the data directory is short of space, shared by the main
 * thread (which reads the free space and decides) and every worker (which reads the decision
 * before deciding a write, or writing a snapshot, a compaction or an expiry):
 *
 *   main thread: storage guard ──Atomics.store──► SharedArrayBuffer [ closed: int32 ]
 *   worker k:    before a write ◄──Atomics.load───┘   (passed once, in workerData)
 *
 * A load costs nanoseconds: no worker ever makes a syscall per request to learn it.
 */
export interface WriteGate {
  /** True while writes are refused. */
  readonly closed: boolean;
  /** The gate's memory, for worker threads. */
  readonly shared: SharedArrayBuffer;
}

export interface ControlledWriteGate extends WriteGate {
  close(): void;
  open(): void;
}

export function createWriteGate(): ControlledWriteGate {
  const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const cell = new Int32Array(shared);
  return {
    get closed() {
      return Atomics.load(cell, 0) === 1;
    },
    shared,
    close: () => Atomics.store(cell, 0, 1),
    open: () => Atomics.store(cell, 0, 0),
  };
}

/** A worker's view of the gate; without one (tests, simulation) writes are never refused. */
export function workerWriteGate(shared: SharedArrayBuffer | undefined): WriteGate {
  if (shared === undefined) return { closed: false, shared: new SharedArrayBuffer(4) };
  const cell = new Int32Array(shared);
  return {
    get closed() {
      return Atomics.load(cell, 0) === 1;
    },
    shared,
  };
}
