import type { QueryConfig } from 'pg';

/** Which items a levels report covers; pages follow the key that varies. */
export type LevelsSelector =
  | { readonly kind: 'item'; readonly sku: string; readonly warehouseId: string }
  | { readonly kind: 'warehouse'; readonly warehouseId: string; readonly after: string }
  | { readonly kind: 'sku'; readonly sku: string; readonly after: string };

export interface LevelsRow {
  readonly sku: string;
  readonly warehouse_id: string;
  readonly total_qty: string;
  readonly reserved_qty: string;
  readonly available_qty: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
  readonly item_version: string;
  readonly updated_at: Date;
  readonly last_event_id: string;
}

// Every item ever seen has a levels row (items are never deleted), so the levels table lists
// the candidates, by index, in page order; as of a past instant each one is looked up with
// stockd.item_level_as_of (0003_reports.sql), and items that did not exist yet drop out.
const filters: Record<LevelsSelector['kind'], { where: string; order: string }> = {
  item: { where: 'l.sku = $1 AND l.warehouse_id = $2', order: 'l.sku' },
  warehouse: { where: 'l.warehouse_id = $1 AND l.sku > $2', order: 'l.sku' },
  sku: { where: 'l.sku = $1 AND l.warehouse_id > $2', order: 'l.warehouse_id' },
};

/** One page of levels, now (`asOfMs` undefined) or as of an instant; `rowsMax` rows at most. */
export function levelsQuery(
  selector: LevelsSelector,
  asOfMs: number | undefined,
  rowsMax: number,
): QueryConfig {
  const { where, order } = filters[selector.kind];
  const keys =
    selector.kind === 'item'
      ? [selector.sku, selector.warehouseId]
      : selector.kind === 'warehouse'
        ? [selector.warehouseId, selector.after]
        : [selector.sku, selector.after];
  if (asOfMs === undefined) {
    return {
      text: `
        SELECT l.sku, l.warehouse_id, l.total_qty, l.reserved_qty, l.available_qty, l.status,
               l.item_version, l.updated_at, l.last_event_id
          FROM stockd.levels l
         WHERE ${where}
         ORDER BY ${order}
         LIMIT $3`,
      values: [...keys, rowsMax],
    };
  }
  return {
    text: `
      SELECT l.sku, l.warehouse_id, a.total_qty, a.reserved_qty, a.available_qty, a.status,
             a.item_version, a.updated_at, a.last_event_id
        FROM stockd.levels l
       CROSS JOIN LATERAL stockd.item_level_as_of(
               l.sku, l.warehouse_id,
               'epoch'::timestamptz + $4::bigint * interval '1 millisecond') a
       WHERE ${where}
       ORDER BY ${order}
       LIMIT $3`,
    values: [...keys, rowsMax, asOfMs],
  };
}

export function levelsBodyOf(row: LevelsRow) {
  return {
    sku: row.sku,
    warehouseId: row.warehouse_id,
    totalQty: Number(row.total_qty),
    reservedQty: Number(row.reserved_qty),
    availableQty: Number(row.available_qty),
    status: row.status,
    version: Number(row.item_version),
    updatedAt: row.updated_at.toISOString(),
    lastEventId: row.last_event_id,
  };
}
