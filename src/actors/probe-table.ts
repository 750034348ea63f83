import { randomBytes } from 'node:crypto';

const initialCapacity = 16;

/**
 * A hash table by open addressing with linear probing: each slot holds a 32-bit hash (in one
 * Int32Array; 0 marks an empty slot) and a value; the caller hashes its key and says how a value
 * matches it. A lookup that finds nothing reads only the hash array — one cache miss, where a Map
 * with string keys reads its bucket, its entry and the key string of every entry in the chain,
 * a miss each in the worker's large indexes; a value is read only where its hash matches. Keys
 * never need to exist as one string: the item index hashes sku and warehouseId in turn. At most
 * half full, at least an eighth (above the initial size); removal shifts the following entries
 * back (no tombstones).
 */
export class ProbeTable<V> {
  #hashes = new Int32Array(initialCapacity);
  #values: (V | undefined)[] = new Array(initialCapacity).fill(undefined);
  #mask = initialCapacity - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * The slot of the value with `hash` (an int32) that `matches(value, a, b)`; -1 if none. A slot
   * holds until the next insert or removal, which may move entries.
   */
  find<A, B>(hash: number, matches: (value: V, a: A, b: B) => boolean, a: A, b: B): number {
    const stored = storedHash(hash);
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let slot = stored & mask; ; slot = (slot + 1) & mask) {
      const slotHash = hashes[slot]!;
      if (slotHash === 0) return -1;
      if (slotHash === stored && matches(this.#values[slot]!, a, b)) return slot;
    }
  }

  valueAt(slot: number): V {
    return this.#values[slot]!;
  }

  /** Replaces the value in a slot `find` returned (same key). */
  replaceAt(slot: number, value: V): void {
    this.#values[slot] = value;
  }

  /** Adds a value whose key is not in the table (`find` said -1). */
  insert(hash: number, value: V): void {
    if ((this.#size + 1) * 2 > this.#hashes.length) this.#resize(this.#hashes.length * 2);
    this.#place(storedHash(hash), value);
    this.#size++;
  }

  /** Empties a slot `find` returned, moving back the entries that probed past it. */
  removeAt(slot: number): void {
    const hashes = this.#hashes;
    const values = this.#values;
    const mask = this.#mask;
    let hole = slot;
    for (let next = (hole + 1) & mask; hashes[next] !== 0; next = (next + 1) & mask) {
      // An entry may fill the hole if the hole lies on its probe path: from its home to `next`.
      if (((next - hashes[next]!) & mask) >= ((next - hole) & mask)) {
        hashes[hole] = hashes[next]!;
        values[hole] = values[next];
        hole = next;
      }
    }
    hashes[hole] = 0;
    values[hole] = undefined;
    this.#size--;
    // Memory comes back after a burst (settled holds forgotten): at most 1/8 full, halve.
    if (hashes.length > initialCapacity && this.#size * 8 < hashes.length) {
      this.#resize(hashes.length / 2);
    }
  }

  /** Puts a value with its stored (non-zero) hash in the first empty slot of its run. */
  #place(stored: number, value: V): void {
    const mask = this.#mask;
    let slot = stored & mask;
    while (this.#hashes[slot] !== 0) slot = (slot + 1) & mask;
    this.#hashes[slot] = stored;
    this.#values[slot] = value;
  }

  #resize(capacity: number): void {
    const hashes = this.#hashes;
    const values = this.#values;
    this.#hashes = new Int32Array(capacity);
    this.#values = new Array(capacity).fill(undefined);
    this.#mask = capacity - 1;
    for (let slot = 0; slot < hashes.length; slot++) {
      if (hashes[slot] !== 0) this.#place(hashes[slot]!, values[slot]!);
    }
  }
}

/** 0 marks an empty slot: a key whose hash is 0 is stored as 1 (it only shares a run). */
const storedHash = (hash: number) => (hash === 0 ? 1 : hash);

/**
 * Per process, so that no one can choose keys that collide without knowing it: a table whose
 * keys all probe one run would turn every lookup into a scan.
 */
const hashSeed = randomBytes(4).readInt32LE(0);

/**
 * A key's hash is built from its parts in turn — `hashEnd(hashText(hashText(hashStart(), a),
 * b))` — and equals the hash of the parts' concatenation, so a key can be looked up by its parts
 * or whole. Multiply-xor per character (MurmurHash's constants), avalanched at the end.
 */
export function hashStart(): number {
  return hashSeed;
}

export function hashText(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
  return h;
}

export function hashCharacter(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x5bd1e995);
}

export function hashEnd(hash: number): number {
  let h = hash ^ (hash >>> 15);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of one whole string: `hashEnd(hashText(hashStart(), text))`. */
export function hashOfText(text: string): number {
  return hashEnd(hashText(hashStart(), text));
}
