import { describe, expect, it } from 'vitest';
import {
  type ComponentState,
  componentTransitions,
  createLifecycle,
  reasonOf,
} from '../../src/lifecycle/lifecycle.ts';
import { type ComponentStatus, readinessOf } from '../../src/lifecycle/readiness.ts';

const states = Object.keys(componentTransitions) as ComponentState[];

/** A lifecycle brought to `state` by allowed steps. */
function lifecycleIn(state: ComponentState) {
  const paths: Record<ComponentState, ComponentState[]> = {
    idle: [],
    starting: ['starting'],
    running: ['starting', 'running'],
    degraded: ['starting', 'degraded'],
    stopping: ['stopping'],
    stopped: ['stopping', 'stopped'],
    failed: ['starting', 'failed'],
  };
  const lifecycle = createLifecycle({ name: 'component' });
  for (const step of paths[state]) lifecycle.to(step);
  expect(lifecycle.state).toBe(state);
  return lifecycle;
}

describe('component lifecycle', () => {
  it.each(
    states.flatMap((from) =>
      states.map((to) => [from, to, componentTransitions[from].includes(to)] as const),
    ),
  )('%s → %s allowed: %s', (from, to, allowed) => {
    const lifecycle = lifecycleIn(from);
    if (allowed) expect(() => lifecycle.to(to)).not.toThrow();
    else expect(() => lifecycle.to(to)).toThrow(`component: no transition ${from} → ${to}`);
  });

  it('ends only in stopped or failed', () => {
    expect(states.filter((state) => componentTransitions[state].length === 0)).toEqual([
      'stopped',
      'failed',
    ]);
  });

  it('goes back and forth between running and degraded for as long as it takes', () => {
    const lifecycle = lifecycleIn('running');
    for (let outage = 0; outage < 3; outage++) {
      lifecycle.to('degraded', new Error('broker away'));
      lifecycle.to('running');
    }
    expect(lifecycle.status()).not.toHaveProperty('reason');
  });

  it('says since when and why it is degraded; a new failure only updates the reason', () => {
    let nowMs = 1_000;
    const lifecycle = createLifecycle({ name: 'component', nowMs: () => nowMs });
    lifecycle.to('starting');
    nowMs = 2_000;
    lifecycle.tryTo('degraded', Object.assign(new Error('refused'), { code: '55000' }));
    nowMs = 3_000;
    expect(lifecycle.tryTo('degraded', new TypeError('other'))).toBe(true);
    expect(lifecycle.status()).toEqual({
      state: 'degraded',
      sinceMs: 2_000,
      reason: 'TypeError: other',
    });
  });

  it('ignores what the table does not allow when asked to try', () => {
    const lifecycle = lifecycleIn('stopping');
    expect(lifecycle.tryTo('degraded', new Error('late'))).toBe(false);
    expect(lifecycle.tryTo('running')).toBe(false);
    expect(lifecycle.state).toBe('stopping');
  });

  it('resolves `running` when it first runs', async () => {
    const lifecycle = lifecycleIn('degraded');
    lifecycle.to('running');
    await expect(lifecycle.running).resolves.toBeUndefined();
  });

  it('rejects `running` with the error that failed it, or when stopped before it ran', async () => {
    const failing = lifecycleIn('starting');
    const cause = new Error('bad config');
    failing.to('failed', cause);
    await expect(failing.running).rejects.toBe(cause);
    const stopped = lifecycleIn('stopped');
    await expect(stopped.running).rejects.toThrow('component was stopped before it started');
  });

  it('describes an error on one line with its name and code', () => {
    const error = Object.assign(new Error('not accepting connections\nat …'), { code: '55000' });
    expect(reasonOf(error)).toBe('Error 55000: not accepting connections');
    expect(reasonOf('text')).toBe('text');
  });
});

describe('readiness', () => {
  const of = (state: ComponentState): ComponentStatus => ({ state });

  it.each([
    ['everything runs', 'running', ['running', 'running', 'running'], 'ready', true],
    ['the broker is away', 'running', ['degraded', 'degraded', 'running'], 'degraded', true],
    ['Kafka still joining', 'running', ['starting', 'starting', 'running'], 'degraded', true],
    ['the projector failed', 'running', ['running', 'running', 'failed'], 'degraded', true],
    ['no components (Kafka off)', 'running', [], 'ready', true],
    ['the engine drains', 'stopping', ['running', 'running', 'running'], 'not ready', false],
    ['the engine failed', 'failed', ['running'], 'not ready', false],
    ['the engine closed', 'stopped', [], 'not ready', false],
  ] as const)(
    '%s: %s engine, components %j → %s, serving %s',
    (_what, engine, components, status, serving) => {
      const named = Object.fromEntries(
        components.map((state, i) => [['relay', 'commandConsumer', 'projector'][i]!, of(state)]),
      );
      expect(readinessOf(of(engine), named)).toEqual({ status, serving });
    },
  );
});
