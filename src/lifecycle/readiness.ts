import type { ComponentState } from './lifecycle.ts';

/** What readiness shows of one component: its lifecycle and, where it has one, its lag. */
export interface ComponentStatus {
  readonly state: ComponentState;
  readonly sinceMs?: number;
  readonly reason?: string;
  /** Events not yet where this component takes them (relay: Kafka; projector: PostgreSQL). */
  readonly lagEvents?: number;
  /** Age of the oldest event the projector has not applied yet (seconds). */
  readonly lagSeconds?: number;
  /** Command messages not yet answered (command consumer). */
  readonly lagMessages?: number;
  /** Bytes free on the data directory's filesystem (storage). */
  readonly freeBytes?: number;
  /** Free space under which writes are refused (storage). */
  readonly floorBytes?: number;
}

/**
 * ready      the engine runs and so does every component
 * degraded   the engine runs — reads are served — but a component is starting, retrying (its
 *            broker or database is away) or has failed, or writes are refused for lack of disk
 *            space (storage); see its state
 * not ready  the engine does not run (stopping, closed, failed): send no traffic here
 */
export type ReadinessStatus = 'ready' | 'degraded' | 'not ready';

export interface Readiness {
  readonly status: ReadinessStatus;
  /**
   * Whether a load balancer should send requests: the engine has recovered and takes writes.
   * Kafka or PostgreSQL trouble does not count — every instance would share it, and taking
   * them all out of rotation would stop the inventory for the sake of replication or reports.
   */
  readonly serving: boolean;
}

export function readinessOf(
  engine: ComponentStatus,
  components: Readonly<Record<string, ComponentStatus>>,
): Readiness {
  if (engine.state !== 'running') return { status: 'not ready', serving: false };
  const allRunning = Object.values(components).every((component) => component.state === 'running');
  return { status: allRunning ? 'ready' : 'degraded', serving: true };
}
