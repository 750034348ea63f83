import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/checkpoint/store.ts';
import { tempDir } from './temp-dir.ts';

/**
 * For a test file: a function opening a fresh store in a temporary directory, each one closed
 * and removed after its test.
 */
export function tempStores(): (name: string) => Store {
  const opened: { store: Store; remove(): void }[] = [];
  afterEach(async () => {
    for (const { store, remove } of opened.splice(0)) {
      await store.close();
      remove();
    }
  });
  return (name) => {
    const dir = tempDir(name);
    const store = openStore(dir.path);
    opened.push({ store, remove: dir.remove });
    return store;
  };
}
