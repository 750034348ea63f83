import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limits } from '../../src/domain/limits.ts';
import { isValidReserve, validateCommand } from '../../src/domain/validate-command.ts';

const valid = {
  type: 'Reserve',
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  idempotencyKey: 'order-1',
  quantity: 1,
  ttlSeconds: 60,
};

// Values on and past every rule's edges, and of the wrong kinds.
const strings = (lengthMax: number) => [
  'a',
  'A.b_c:d/e-9',
  'x'.repeat(lengthMax),
  'x'.repeat(lengthMax + 1),
  '',
  '-starts-with-a-dash',
  'has space',
  'pipe|inside',
  'é',
  'tab\t',
  '!#$%&()*+',
];
const odd = [undefined, null, 0, 1, 1.5, true, {}, []];
const integers = (max: number) => [1, 2, max, max + 1, 0, -1, 1.5, Number.NaN, '1', null];
/** A field left as the valid Reserve has it: most of them are, so one bad value shows alone. */
const keep = Symbol('keep');
const mostlyKept = (changed: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: fc.constant(keep), weight: 4 }, { arbitrary: changed, weight: 1 });
const field = (values: readonly unknown[]) => mostlyKept(fc.constantFrom(...values, ...odd));

describe('isValidReserve', () => {
  it('accepts exactly what validateCommand accepts, for a Reserve', () => {
    fc.assert(
      fc.property(
        fc.record({
          sku: field(strings(limits.skuLengthMax)),
          warehouseId: field(strings(limits.warehouseIdLengthMax)),
          idempotencyKey: field(strings(limits.idempotencyKeyLengthMax)),
          quantity: field(integers(limits.commandQuantityMax)),
          ttlSeconds: field(integers(limits.ttlSecondsMax)),
          commandId: field(strings(limits.commandIdLengthMax)),
          actor: field(strings(limits.actorLengthMax)),
          extra: mostlyKept(fc.constantFrom('note', 'reservationId', 'orderId')),
        }),
        (changes) => {
          const candidate: Record<string, unknown> = { ...valid };
          for (const [name, value] of Object.entries(changes)) {
            if (value === keep) continue;
            if (name === 'extra') candidate[value as string] = 'x';
            else if (value === undefined) delete candidate[name];
            else candidate[name] = value;
          }
          expect(isValidReserve(candidate)).toBe(validateCommand(candidate).ok);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('takes the valid Reserve, with its optional fields, and nothing of another type', () => {
    expect(isValidReserve(valid)).toBe(true);
    expect(isValidReserve({ ...valid, commandId: 'c-1', actor: 'checkout' })).toBe(true);
    expect(isValidReserve({ ...valid, commandId: undefined, actor: undefined })).toBe(true);
    expect(isValidReserve({ ...valid, type: 'ReceiveStock' })).toBe(false);
    expect(isValidReserve({ ...valid, quantity: undefined })).toBe(false);
  });
});
