import type { ComponentStatus } from '../lifecycle/readiness.ts';

/** Something started alongside the engine that must stop before it on shutdown. */
export interface Component {
  /** Also its key in /readyz. */
  readonly name: string;
  /** Its lifecycle and lag, shown by /readyz; absent for what has no lifecycle (a pool). */
  status?(): ComponentStatus;
  stop(): Promise<void>;
}
