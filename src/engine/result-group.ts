import type { EngineResult } from '../worker-protocol/results.ts';

/**
 * The results of a group of requests submitted together (Engine.submitMany), each put in its
 * slot as its batch is answered, with one promise for the whole group: a batch producer's engine
 * call of thousands of commands costs one promise, not one per command, and nothing per command
 * lives on until the commit but a slot of two arrays.
 */
export class ResultGroup {
  readonly results: EngineResult[];
  #pending: number;
  readonly #settled = Promise.withResolvers<EngineResult[]>();

  constructor(size: number) {
    this.results = new Array<EngineResult>(size);
    this.#pending = size;
    if (size === 0) this.#settled.resolve(this.results);
  }

  /** Resolves with every result, in request order, once the last one is put. */
  get settled(): Promise<EngineResult[]> {
    return this.#settled.promise;
  }

  put(slot: number, result: EngineResult): void {
    this.results[slot] = result;
    if (--this.#pending === 0) this.#settled.resolve(this.results);
  }
}
