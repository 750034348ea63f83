import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import type { Command } from '../../src/domain/commands.ts';
import { ItemUnderSpec, item } from '../support/decider-spec.ts';
import { partitionContents } from '../support/invariants.ts';

/** A step names reservations by position so that random sequences hit real ones. */
type Step =
  | { kind: 'receive'; quantity: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'count'; total: number }
  | { kind: 'status'; active: boolean }
  | { kind: 'reserve'; key: number; quantity: number; ttlSeconds: number }
  | { kind: 'change'; pick: number; quantity: number }
  | { kind: 'confirm' | 'release' | 'expire'; pick: number }
  | { kind: 'wait'; seconds: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), quantity: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: -15, max: 15 }) }),
  fc.record({ kind: fc.constant('count' as const), total: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('status' as const), active: fc.boolean() }),
  fc.record({
    kind: fc.constant('reserve' as const),
    key: fc.integer({ min: 0, max: 6 }),
    quantity: fc.integer({ min: 1, max: 8 }),
    ttlSeconds: fc.constantFrom(5, 30),
  }),
  fc.record({
    kind: fc.constant('change' as const),
    pick: fc.nat(),
    quantity: fc.integer({ min: 1, max: 10 }),
  }),
  fc.record({
    kind: fc.constantFrom('confirm' as const, 'release' as const, 'expire' as const),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 20 }) }),
);

function toCommand(step: Step, subject: ItemUnderSpec): Command | undefined {
  const ids = subject.reservations.map((reservation) => reservation.reservationId);
  const picked = (pick: number) => ids[pick % Math.max(ids.length, 1)] ?? 'rsv-0-999';
  switch (step.kind) {
    case 'receive':
      return { type: 'ReceiveStock', ...item, quantity: step.quantity };
    case 'adjust':
      return step.delta === 0
        ? undefined
        : { type: 'AdjustStock', ...item, delta: step.delta, reason: 'p' };
    case 'count':
      return { type: 'AdjustStock', ...item, setTotal: step.total, reason: 'p' };
    case 'status':
      return { type: 'SetItemStatus', ...item, status: step.active ? 'ACTIVE' : 'INACTIVE' };
    case 'reserve':
      return {
        type: 'Reserve',
        ...item,
        idempotencyKey: `order-${step.key}`,
        quantity: step.quantity,
        ttlSeconds: step.ttlSeconds,
      };
    case 'change':
      return {
        type: 'ChangeReservation',
        reservationId: picked(step.pick),
        quantity: step.quantity,
      };
    case 'confirm':
      return { type: 'Confirm', reservationId: picked(step.pick) };
    case 'release':
      return { type: 'Release', reservationId: picked(step.pick) };
    case 'expire':
      return { type: 'Expire', reservationId: picked(step.pick) };
    case 'wait':
      return undefined;
  }
}

function run(steps: Step[]) {
  const subject = new ItemUnderSpec();
  let nowMs = 1_000_000;
  const checks: (() => void)[] = [];
  for (const step of steps) {
    nowMs += step.kind === 'wait' ? step.seconds * 1000 : 1;
    const command = toCommand(step, subject);
    if (command === undefined) continue;
    const decision = subject.execute(command, nowMs);
    if (decision.outcome !== 'applied' || command.type !== 'Reserve') continue;
    // Idempotent repeat right away: nothing emitted, nothing changed.
    const repeat = subject.decide(command, nowMs);
    checks.push(() => expect(repeat).toEqual({ outcome: 'unchanged' }));
  }
  return { subject, events: subject.log, checks };
}

describe('domain properties over random command sequences', () => {
  const steps = fc.array(stepArbitrary, { minLength: 1, maxLength: 120 });

  it('availableQty never goes below 0 and total never below reserved', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { subject } = run(sequence);
        if (subject.item === undefined) return;
        expect(subject.item.reservedQty).toBeGreaterThanOrEqual(0);
        expect(subject.item.totalQty).toBeGreaterThanOrEqual(subject.item.reservedQty);
      }),
      { numRuns: 400 },
    );
  });

  it('reservedQty always equals the sum of HELD reservations', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { subject } = run(sequence);
        const held = subject.reservations
          .filter((r) => r.status === 'HELD')
          .reduce((sum, r) => sum + r.quantity, 0);
        expect(subject.item?.reservedQty ?? 0).toBe(held);
      }),
      { numRuns: 400 },
    );
  });

  it('replaying the emitted events rebuilds the same state', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { subject, events } = run(sequence);
        const replayed = new PartitionActor(0);
        for (const event of events) replayed.apply(event);
        expect(partitionContents(replayed)).toEqual(partitionContents(subject.actor));
      }),
      { numRuns: 400 },
    );
  });

  it('an idempotent repeat of a reserve emits nothing', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        for (const check of run(sequence).checks) check();
      }),
      { numRuns: 200 },
    );
  });

  it('every reservation event moves the item version by one and keeps a dense history', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { subject, events } = run(sequence);
        events.forEach((event, index) => {
          expect(event.itemVersion).toBe(index + 1);
        });
        for (const reservation of subject.reservations) {
          const versions = reservation.adjustments.map((change) => change.version);
          expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
          expect(reservation.version).toBeGreaterThanOrEqual(1 + reservation.adjustments.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
