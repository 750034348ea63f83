import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition } from '../../src/kafka/producer-grouping-fix.ts';

const require = createRequire(import.meta.url);
const kafkajsGrouping = require('kafkajs/src/producer/groupMessagesPerPartition.js');
const clientModule = new URL('../../src/kafka/kafka-client.ts', import.meta.url).href;
const fixModule = new URL('../../src/kafka/producer-grouping-fix.ts', import.meta.url).href;

/** Whether a fresh thread that runs `first` and then loads stockd's Kafka client has the fix. */
function fixedInFreshProcess(first: string): boolean {
  const script = `${first}; await import('${clientModule}'); const { groupingFixed } = await import('${fixModule}'); process.stdout.write(String(groupingFixed()));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return out === 'true';
}

describe("kafkajs's grouping of a produce's messages by partition", () => {
  it('groups as kafkajs does: every message under its partition, in order', () => {
    const partitionMetadata = [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }];
    const messages = Array.from({ length: 500 }, (_, i) => ({
      value: `m${i}`,
      partition: (i * 7) % 3,
    }));
    const partitioner = ({ message }: { message: unknown }) =>
      (message as { partition: number }).partition;
    const args = { topic: 't', partitionMetadata, messages, partitioner };
    // A copy of kafkajs's own module, not the one in its cache (this process may have the fix).
    const original = kafkajsGrouping === groupMessagesPerPartition ? undefined : kafkajsGrouping;
    const expected = { 0: [] as unknown[], 1: [] as unknown[], 2: [] as unknown[] };
    for (const message of messages) expected[message.partition as 0 | 1 | 2].push(message);
    expect(groupMessagesPerPartition(args)).toEqual(expected);
    if (original !== undefined) expect(original(args)).toEqual(expected);
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
  });

  it("is kafkajs's producer's once stockd's Kafka client is loaded first", () => {
    expect(fixedInFreshProcess('')).toBe(true);
  });

  it('leaves kafkajs as it is when kafkajs loaded first (and says so)', () => {
    expect(fixedInFreshProcess("await import('kafkajs')")).toBe(false);
  });
});
