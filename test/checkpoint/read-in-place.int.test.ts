import { describe, expect, it } from 'vitest';
import { readInPlace } from '../../src/checkpoint/store.ts';
import { tempStores } from '../support/temp-store.ts';

const openTempStore = tempStores();

describe('readInPlace', () => {
  it('is exactly the value, small (a shared buffer) or large (the map), as a copy would be', () => {
    const store = openTempStore('read-in-place');
    const values = [1, 1_000, 70_000, 3_000_000].map((size, i) =>
      Uint8Array.from({ length: size }, (_, at) => (at * 7 + i) % 251),
    );
    for (const [i, value] of values.entries()) store.log.putSync([0, i + 1], value);
    values.forEach((value, i) => {
      const bytes = readInPlace(store.log, [0, i + 1])!;
      expect(bytes.byteLength).toBe(value.byteLength);
      expect(Buffer.compare(bytes, value)).toBe(0);
    });
    expect(readInPlace(store.log, [0, 99])).toBeUndefined();
  });
});
