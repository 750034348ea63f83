import fc from 'fast-check';
import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { packWithIntegers, unpackWithIntegers } from '../../src/kafka/msgpack-integers.ts';

// Any value the wire may carry: maps and arrays of every size class (fix, 16-bit), strings of
// every length class, booleans, nil, fractions, and integers of every width.
const integer = fc.oneof(
  fc.integer({ min: -0x8000_0000, max: 0xffff_ffff }),
  fc.maxSafeInteger(),
  fc.constantFrom(2 ** 32, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);
const scalar = fc.oneof(
  integer,
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 256, maxLength: 300 }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('map')),
  array: fc.array(tie('tree'), { maxLength: 20 }),
  map: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), tie('tree'), { maxKeys: 20 }),
})).tree;

describe('MessagePack with integers kept integers', () => {
  it('decodes to what plain MessagePack decodes to, in as many bytes', () => {
    fc.assert(
      fc.property(value, (input) => {
        const bytes = packWithIntegers(input);
        expect(bytes.length).toBe(pack(input).length);
        expect(unpackWithIntegers(bytes)).toEqual(unpack(pack(input)));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [2 ** 32, 'cf0000000100000000'],
    [1_796_107_505_446, 'cf000001a230598f26'],
    [Number.MAX_SAFE_INTEGER, 'cf001fffffffffffff'],
    [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
    [Number.MIN_SAFE_INTEGER, 'd3ffe0000000000001'],
    [0.5, 'cb3fe0000000000000'],
    [2 ** 60, 'cb43b0000000000000'],
  ])('writes %d as %s', (number, hex) => {
    expect(packWithIntegers(number).toString('hex')).toBe(hex);
    expect(unpackWithIntegers(Buffer.from(hex, 'hex'))).toBe(number);
  });

  it('leaves strings alone that hold the float64 byte', () => {
    const input = { text: '\u00cb\u00cb\u00cb', at: 2 ** 40, list: ['\u00cb', -(2 ** 40)] };
    expect(unpackWithIntegers(packWithIntegers(input))).toEqual(input);
  });
});
