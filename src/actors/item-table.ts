import type { ItemState, ItemStatus } from '../domain/item.ts';
import { itemKeySeparator } from '../domain/item-key.ts';
import {
  hashCharacter,
  hashEnd,
  hashOfText,
  hashStart,
  hashText,
  ProbeTable,
} from './probe-table.ts';

const statusCodes: readonly ItemStatus[] = ['ACTIVE', 'INACTIVE'];
const initialCapacity = 1024;

/**
 * One row per item in a single Float64Array — 48 bytes, one cache line, so reading or writing
 * an item costs one memory access; no per-item object for the GC to trace. With its key string
 * and index slot an item takes ~60 bytes of heap and ~90 outside it (rows and index arrays,
 * grown by doubling). The index finds an item by its sku and warehouseId as they arrive,
 * without joining them into its key first.
 *
 *   row i: [ totalQty | reservedQty | version | updatedAtMs | lastSeq | status ]
 */
const totalField = 0;
const reservedField = 1;
const versionField = 2;
const updatedAtField = 3;
const lastSeqField = 4;
const statusField = 5;
export const itemRowFields = 6;

export class ItemTable {
  /** Row numbers, by the hash of the item's key. */
  readonly #index = new ProbeTable<number>();
  readonly #keys: string[] = [];
  #rows = new Float64Array(initialCapacity * itemRowFields);
  readonly #isKey = (row: number, itemKey: string) => this.#keys[row] === itemKey;
  readonly #isItem = (row: number, sku: string, warehouseId: string) =>
    isKeyOf(this.#keys[row]!, sku, warehouseId);

  get size(): number {
    return this.#keys.length;
  }

  /** The row of the item with this key (`sku|warehouseId`). */
  indexOf(itemKey: string): number | undefined {
    const slot = this.#index.find(hashOfText(itemKey), this.#isKey, itemKey, undefined);
    return slot < 0 ? undefined : this.#index.valueAt(slot);
  }

  /** The row of an item by its parts: what the hot path has. */
  indexOfItem(sku: string, warehouseId: string): number | undefined {
    const slot = this.#index.find(itemHashOf(sku, warehouseId), this.#isItem, sku, warehouseId);
    return slot < 0 ? undefined : this.#index.valueAt(slot);
  }

  /** The item's key; the one string every reservation of the item shares. */
  keyAt(index: number): string {
    return this.#keys[index]!;
  }

  read(index: number): ItemState {
    const rows = this.#rows;
    const at = index * itemRowFields;
    return {
      totalQty: rows[at + totalField]!,
      reservedQty: rows[at + reservedField]!,
      status: statusCodes[rows[at + statusField]!]!,
      version: rows[at + versionField]!,
      updatedAtMs: rows[at + updatedAtField]!,
    };
  }

  /** Sequence number of the item's newest event in its partition. */
  lastSeqAt(index: number): number {
    return this.#rows[index * itemRowFields + lastSeqField]!;
  }

  write(index: number, item: ItemState, lastSeq: number): void {
    const rows = this.#rows;
    const at = index * itemRowFields;
    rows[at + totalField] = item.totalQty;
    rows[at + reservedField] = item.reservedQty;
    rows[at + versionField] = item.version;
    rows[at + updatedAtField] = item.updatedAtMs;
    rows[at + lastSeqField] = lastSeq;
    rows[at + statusField] = item.status === 'ACTIVE' ? 0 : 1;
  }

  add(itemKey: string): number {
    const index = this.#keys.length;
    if ((index + 1) * itemRowFields > this.#rows.length) this.#grow(index * 2);
    this.#keys.push(itemKey);
    this.#index.insert(hashOfText(itemKey), index);
    return index;
  }

  /** Keys and rows for snapshots. The rows are a view of live memory: encode before writing. */
  contents(): ItemTableContents {
    return { keys: this.#keys, rows: this.#rows.subarray(0, this.size * itemRowFields) };
  }

  static fromContents(contents: ItemTableContents): ItemTable {
    const table = new ItemTable();
    const size = contents.keys.length;
    table.#grow(Math.max(initialCapacity, size));
    table.#rows.set(contents.rows);
    for (let index = 0; index < size; index++) {
      const key = contents.keys[index]!;
      table.#keys.push(key);
      table.#index.insert(hashOfText(key), index);
    }
    return table;
  }

  #grow(capacity: number): void {
    const rows = new Float64Array(capacity * itemRowFields);
    rows.set(this.#rows);
    this.#rows = rows;
  }
}

const separatorCode = itemKeySeparator.charCodeAt(0);

/** Equals `hashOfText(itemKeyOf(sku, warehouseId))`. */
const itemHashOf = (sku: string, warehouseId: string) =>
  hashEnd(hashText(hashCharacter(hashText(hashStart(), sku), separatorCode), warehouseId));

/** Whether `itemKey` is `sku|warehouseId`, without building the latter. */
function isKeyOf(itemKey: string, sku: string, warehouseId: string): boolean {
  return (
    itemKey.length === sku.length + 1 + warehouseId.length &&
    itemKey.charCodeAt(sku.length) === separatorCode &&
    itemKey.startsWith(sku) &&
    itemKey.endsWith(warehouseId)
  );
}

export interface ItemTableContents {
  readonly keys: readonly string[];
  /** `itemRowFields` numbers per item, in key order. */
  readonly rows: Float64Array;
}
