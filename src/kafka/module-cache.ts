import { createRequire, Module } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Puts `exports` in Node's CommonJS module cache as the module at `path`, unless that module was
 * loaded already: every later `require` of it — kafkajs's own — gets `exports`. Returns whether
 * it was put there (false: someone loaded the original first, and keeps it).
 */
export function preloadModule(path: string, exports: unknown): boolean {
  if (require.cache[path] !== undefined) return false;
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = exports;
  require.cache[path] = module;
  return true;
}
