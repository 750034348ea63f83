import { resolve } from 'node:path';
import { recoverPartition } from '../actors/recovery.ts';
import { requireStore } from '../checkpoint/data-dir.ts';
import { checkDataDir } from '../checkpoint/data-dir-check.ts';
import { itemEventsNewestFirst } from '../checkpoint/item-log-walk.ts';
import { openStore } from '../checkpoint/store.ts';
import { verifyStoreIdentity } from '../checkpoint/store-identity.ts';
import { availableQty } from '../domain/item.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import { partitionOf } from '../partitioner/partition-of.ts';
import { CommandFailure, UsageError } from './command-failure.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { parseOptions } from './parse-options.ts';
import { usages } from './usage.ts';

const eventsMax = 10_000;

/**
 * `stockd inspect --data-dir D --sku S --warehouse-id W [--events N]`: an item's state, its held
 * reservations and its most recent events, read straight from a data directory (read-only; safe
 * while the server runs). A directory without a store is refused, never created; a damaged one
 * is reported as `serve` reports it (DATA_DAMAGED, exit 65).
 */
export async function inspectCommand(argv: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions(argv, {
    options: {
      'data-dir': { type: 'string', default: process.env.STOCKD_DATA_DIR ?? './data' },
      sku: { type: 'string' },
      'warehouse-id': { type: 'string' },
      events: { type: 'string', default: '20' },
    },
    usage: usages.inspect,
  });
  if (values.help === true) {
    console.log(usages.inspect);
    return exitCodes.ok;
  }
  const { sku, 'warehouse-id': warehouseId } = values;
  if (sku === undefined || warehouseId === undefined) {
    const missing = sku === undefined ? '--sku' : '--warehouse-id';
    throw new UsageError(`${missing} is required`, usages.inspect);
  }
  const eventCount = Number(values.events);
  if (!/^\d+$/.test(values.events) || eventCount < 1 || eventCount > eventsMax) {
    throw new UsageError(
      `--events ${values.events}: expected an integer from 1 to ${eventsMax}`,
      usages.inspect,
    );
  }
  const dataDir = resolve(values['data-dir']);
  // Damage first: a data file missing beside its identity file is damage, not a mistyped path.
  checkDataDir(dataDir);
  requireStore(dataDir);
  const store = openStore(dataDir);
  try {
    const identity = verifyStoreIdentity(store);
    if (identity === undefined) {
      throw new CommandFailure(`${dataDir} is not a stockd data directory`, exitCodes.noInput);
    }
    const itemKey = itemKeyOf(sku, warehouseId);
    const partition = partitionOf(itemKey, identity.partitionCount);
    const { actor } = recoverPartition(store, partition);
    const index = actor.items.indexOf(itemKey);
    if (index === undefined) {
      console.log(JSON.stringify({ sku, warehouseId, partition, found: false }, null, 2));
      return exitCodes.incomplete;
    }
    const item = actor.items.read(index);
    const held = [...actor.reservations()].filter(
      (r) => r.itemKey === itemKey && r.status === 'HELD',
    );
    const events = [];
    const walk = itemEventsNewestFirst(store, partition, actor.items.lastSeqAt(index), eventCount);
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
    return exitCodes.ok;
  } finally {
    await store.close();
  }
}
