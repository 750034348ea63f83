import { Gauge, type Registry } from 'prom-client';
import { type ComponentState, componentTransitions } from '../lifecycle/lifecycle.ts';
import type { ComponentStatus } from '../lifecycle/readiness.ts';

const states = Object.keys(componentTransitions) as ComponentState[];

/**
 * What /readyz shows, for alerting from Prometheus: `stockd_component_state{component,state}` is
 * 1 for each component's current state and 0 for the others (so `== 1` on `degraded` or
 * `failed` selects the components in trouble), read at scrape time.
 */
export function registerComponentMetrics(
  registry: Registry,
  statuses: () => Readonly<Record<string, ComponentStatus>>,
): void {
  new Gauge({
    name: 'stockd_component_state',
    help: 'State of each component (relay, commandConsumer, projector): 1 for the current one',
    labelNames: ['component', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [component, status] of Object.entries(statuses())) {
        for (const state of states) this.set({ component, state }, state === status.state ? 1 : 0);
      }
    },
  });
}
