/**
 * The lifecycle every long-running component shares (relay, command consumer, projector): one
 * transition table, so that readiness means the same for each of them.
 *
 *   idle ─► starting ─► running ◄─► degraded
 *              └────────────────────────►┘          a start attempt failed; retrying
 *   idle, starting, running, degraded ─► stopping ─► stopped
 *   starting, running, degraded, stopping ─► failed  what retrying cannot fix (a bug, a
 *                                                    configuration the broker refuses)
 *
 * `degraded` is a component that is trying and failing (the broker or PostgreSQL is away) and
 * keeps retrying by itself; `failed` is one that has given up and needs an operator.
 */
export type ComponentState =
  | 'idle'
  | 'starting'
  | 'running'
  | 'degraded'
  | 'stopping'
  | 'stopped'
  | 'failed';

export const componentTransitions: Readonly<Record<ComponentState, readonly ComponentState[]>> = {
  idle: ['starting', 'stopping'],
  starting: ['running', 'degraded', 'stopping', 'failed'],
  running: ['degraded', 'stopping', 'failed'],
  degraded: ['running', 'stopping', 'failed'],
  stopping: ['stopped', 'failed'],
  stopped: [],
  failed: [],
};

/** Where a component is, since when, and (degraded, failed) the error that put it there. */
export interface LifecycleStatus {
  readonly state: ComponentState;
  readonly sinceMs: number;
  readonly reason?: string;
}

export interface Lifecycle {
  readonly state: ComponentState;
  status(): LifecycleStatus;
  can(to: ComponentState): boolean;
  /** Moves to `next`; a transition the table does not list is a bug, so it throws. */
  to(next: ComponentState, cause?: unknown): void;
  /**
   * Moves to `next` if the table allows it from here, else does nothing (a failure reported
   * while already stopping, say). Staying degraded with a new cause only updates the reason.
   */
  tryTo(next: ComponentState, cause?: unknown): boolean;
  /** Resolves when the component first runs; rejects if it stops or fails before. */
  readonly running: Promise<void>;
}

export interface LifecycleOptions {
  readonly name: string;
  /** Default Date.now. */
  readonly nowMs?: () => number;
  readonly onChange?: (from: ComponentState, to: ComponentState, reason?: string) => void;
}

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const nowMs = options.nowMs ?? Date.now;
  let status: LifecycleStatus = { state: 'idle', sinceMs: nowMs() };
  let resolveRunning!: () => void;
  let rejectRunning!: (error: unknown) => void;
  const running = new Promise<void>((resolve, reject) => {
    resolveRunning = resolve;
    rejectRunning = reject;
  });
  running.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  const move = (next: ComponentState, cause: unknown) => {
    const from = status.state;
    const reason = cause === undefined ? undefined : reasonOf(cause);
    status = { state: next, sinceMs: nowMs(), ...(reason !== undefined && { reason }) };
    options.onChange?.(from, next, reason);
    if (next === 'running') resolveRunning();
    if (next === 'failed') rejectRunning(cause ?? new Error(`${options.name} failed`));
    if (next === 'stopped')
      rejectRunning(new Error(`${options.name} was stopped before it started`));
  };
  const can = (to: ComponentState) => componentTransitions[status.state].includes(to);

  return {
    get state() {
      return status.state;
    },
    status: () => status,
    can,
    to(next, cause) {
      if (!can(next)) throw new Error(`${options.name}: no transition ${status.state} → ${next}`);
      move(next, cause);
    },
    tryTo(next, cause) {
      if (next === 'degraded' && status.state === 'degraded') {
        const reason = cause === undefined ? undefined : reasonOf(cause);
        if (reason !== undefined) status = { ...status, reason };
        return true;
      }
      if (!can(next)) return false;
      move(next, cause);
      return true;
    },
    running,
  };
}

/** A short, single-line account of an error for readiness: its name and message. */
export function reasonOf(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const prefix = typeof code === 'string' ? `${cause.name} ${code}` : cause.name;
    return `${prefix}: ${cause.message}`.split('\n')[0]!;
  }
  return String(cause);
}
