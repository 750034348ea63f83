/**
 * The projector's lifecycle. It retries PostgreSQL failures while `running`; `failed` is only
 * for errors that retrying cannot fix (see retry-policy.ts).
 *
 *   idle ─► starting ─► running ─► stopping ─► stopped
 *              │           │           │
 *              └───────────┴───────────┴─► failed
 */
export type ProjectorState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export const projectorTransitions: Readonly<Record<ProjectorState, readonly ProjectorState[]>> = {
  idle: ['starting', 'stopping'],
  starting: ['running', 'stopping', 'failed'],
  running: ['stopping', 'failed'],
  stopping: ['stopped', 'failed'],
  stopped: [],
  failed: [],
};

/** A state holder that refuses transitions the table does not list (a bug, so it throws). */
export function projectorStateMachine(
  onChange: (from: ProjectorState, to: ProjectorState) => void,
) {
  let state: ProjectorState = 'idle';
  return {
    get state(): ProjectorState {
      return state;
    },
    can(to: ProjectorState): boolean {
      return projectorTransitions[state].includes(to);
    },
    to(next: ProjectorState): void {
      if (!projectorTransitions[state].includes(next)) {
        throw new Error(`projector: no transition ${state} → ${next}`);
      }
      const from = state;
      state = next;
      onChange(from, next);
    },
  };
}
