import { afterEach, describe, expect, it } from 'vitest';
import { openStore, readInPlace, type Store } from '../../src/checkpoint/store.ts';
import { tempDir } from '../support/temp-dir.ts';

let store: Store | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await store?.close();
  dir?.remove();
  store = undefined;
});

describe('readInPlace', () => {
  it('is exactly the value, small (a shared buffer) or large (the map), as a copy would be', () => {
    dir = tempDir('read-in-place');
    store = openStore(dir.path);
    const values = [1, 1_000, 70_000, 3_000_000].map((size, i) =>
      Uint8Array.from({ length: size }, (_, at) => (at * 7 + i) % 251),
    );
    for (const [i, value] of values.entries()) store.log.putSync([0, i + 1], value);
    values.forEach((value, i) => {
      const bytes = readInPlace(store!.log, [0, i + 1])!;
      expect(bytes.byteLength).toBe(value.byteLength);
      expect(Buffer.compare(bytes, value)).toBe(0);
    });
    expect(readInPlace(store.log, [0, 99])).toBeUndefined();
  });
});
