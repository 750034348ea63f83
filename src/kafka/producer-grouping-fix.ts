import { createRequire } from 'node:module';
import { preloadModule } from './module-cache.ts';

/**
 * kafkajs 2.2.4 groups a produce's messages by partition by copying the partition's array for
 * every message (`[...current, message]`): quadratic in the messages per partition. A relay round
 * (up to STOCKD_RELAY_ROUND_EVENTS_MAX events over the pending partitions) copied ~1 M array
 * slots and left thousands of arrays to collect — 7 % of the main thread under bench/kafka.
 *
 * The same grouping in one pass, put in kafkajs's module cache before kafkajs loads: its producer
 * takes the function once, when it is first required. This module must therefore be imported
 * before anything imports `kafkajs` in a thread (kafka-client.ts imports it first, and stockd's
 * modules take kafkajs values from there). If kafkajs got in first, it keeps its own — correct,
 * only slower — and `groupingFixed()` says so.
 */
type Partitioner = (args: {
  topic: string;
  partitionMetadata: unknown[];
  message: unknown;
}) => number;

interface GroupingArgs {
  readonly topic: string;
  readonly partitionMetadata: unknown[];
  readonly messages: readonly unknown[];
  readonly partitioner: Partitioner;
}

export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupingArgs): Record<number, unknown[]> {
  const grouped: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return grouped;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    const messagesOfPartition = grouped[partition];
    if (messagesOfPartition === undefined) grouped[partition] = [message];
    else messagesOfPartition.push(message);
  }
  return grouped;
}

const require = createRequire(import.meta.url);
const groupingPath = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
const sendMessagesPath = require.resolve('kafkajs/src/producer/sendMessages.js');

// The producer takes the grouping when it is required: too late once it is loaded.
if (require.cache[sendMessagesPath] === undefined) {
  preloadModule(groupingPath, groupMessagesPerPartition);
}

/** Whether kafkajs's producer, in this thread, groups with the function above. */
export function groupingFixed(): boolean {
  return require(groupingPath) === groupMessagesPerPartition;
}
