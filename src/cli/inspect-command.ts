import { parseArgs } from 'node:util';
import { recoverPartition } from '../actors/recovery.ts';
import { itemEventsNewestFirst } from '../checkpoint/item-log-walk.ts';
import { openStore } from '../checkpoint/store.ts';
import { readStoreIdentity } from '../checkpoint/store-identity.ts';
import { availableQty } from '../domain/item.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import { partitionOf } from '../partitioner/partition-of.ts';

/**
 * `stockd inspect --data-dir D --sku S --warehouse-id W [--events N]`: an item's state, its held
 * reservations and its most recent events, read straight from a data directory (read-only; safe
 * while the server runs).
 */
export async function inspectCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string', default: process.env.STOCKD_DATA_DIR ?? './data' },
      sku: { type: 'string' },
      'warehouse-id': { type: 'string' },
      events: { type: 'string', default: '20' },
    },
  });
  const { sku, 'warehouse-id': warehouseId } = values;
  if (sku === undefined || warehouseId === undefined) {
    console.error('usage: stockd inspect --data-dir D --sku S --warehouse-id W [--events N]');
    return 64;
  }
  const store = openStore(values['data-dir']);
  try {
    const identity = readStoreIdentity(store);
    if (identity === undefined) {
      console.error(`${values['data-dir']} is not a stockd data directory`);
      return 66;
    }
    const itemKey = itemKeyOf(sku, warehouseId);
    const partition = partitionOf(itemKey, identity.partitionCount);
    const { actor } = recoverPartition(store, partition);
    const index = actor.items.indexOf(itemKey);
    if (index === undefined) {
      console.log(JSON.stringify({ sku, warehouseId, partition, found: false }, null, 2));
      return 1;
    }
    const item = actor.items.read(index);
    const held = [...actor.reservations()].filter(
      (r) => r.itemKey === itemKey && r.status === 'HELD',
    );
    const events = [];
    const walk = itemEventsNewestFirst(
      store,
      partition,
      actor.items.lastSeqAt(index),
      Number(values.events),
    );
    for (const event of walk) events.push(event);
    console.log(
      JSON.stringify(
        {
          sku,
          warehouseId,
          partition,
          storeId: identity.storeId,
          levels: {
            ...item,
            availableQty: availableQty(item),
            updatedAt: new Date(item.updatedAtMs).toISOString(),
          },
          heldReservations: held,
          recentEvents: events.reverse(),
        },
        null,
        2,
      ),
    );
    return 0;
  } finally {
    await store.close();
  }
}
