import { describe, expect, it } from 'vitest';
import { relayDefaults } from '../../src/config/defaults.ts';
import { checkTopics, topicSpecs } from '../../src/kafka/topics.ts';
import { replicationLag } from '../../src/replication/lag.ts';
import { backoffMs } from '../../src/retry/backoff.ts';
import { interruptibleSleep } from '../../src/retry/interruptible-sleep.ts';

describe('backoff of the relay', () => {
  // By default 250 ms doubling to 10 s.
  const policy = relayDefaults.backoff;

  it.each([
    [1, 0, 125],
    [1, 0.999, 250],
    [2, 0, 250],
    [3, 0.5, 750],
    [7, 0, 5_000],
    [7, 0.999, 9_995],
    [60, 0.999, 9_995],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, policy, random)).toBe(expected);
  });
});

describe('replication lag', () => {
  it('is logged minus published, per partition and in total', () => {
    expect(replicationLag([10, 0, 7], [4, 0, 7])).toEqual({
      totalEvents: 6,
      byPartition: [6, 0, 0],
    });
  });

  it('is never negative', () => {
    expect(replicationLag([3], [5])).toEqual({ totalEvents: 0, byPartition: [0] });
  });
});

describe('topic check', () => {
  const topics = { commands: 'c', results: 'r', deadLetters: 'd', events: 'e' };
  const specs = topicSpecs(topics, 8);

  it('lists the missing topics', () => {
    expect(checkTopics(specs, new Map([['c', 8]])).missing.map((s) => s.topic)).toEqual([
      'e',
      'r',
      'd',
    ]);
  });

  it('fails on commands or events with another count, naming the topic and both counts', () => {
    const check = checkTopics(
      specs,
      new Map([
        ['c', 8],
        ['e', 6],
        ['r', 8],
        ['d', 8],
      ]),
    );
    expect(check.errors).toHaveLength(1);
    expect(check.errors[0]).toMatch(/^topic "e" has 6 partitions; stockd's store has 8\./);
  });

  it('only warns about more results partitions and dead letters with another count', () => {
    const check = checkTopics(
      specs,
      new Map([
        ['c', 8],
        ['e', 8],
        ['r', 12],
        ['d', 1],
      ]),
    );
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([
      `topic "r" has 12 partitions; stockd's store has 8`,
      `topic "d" has 1 partitions; stockd's store has 8`,
    ]);
  });

  it("fails on fewer results partitions: results go to their command's partition number", () => {
    const check = checkTopics(
      specs,
      new Map([
        ['c', 8],
        ['e', 8],
        ['r', 3],
        ['d', 8],
      ]),
    );
    expect(check.errors).toHaveLength(1);
    expect(check.errors[0]).toMatch(
      /^topic "r" has 3 partitions; stockd's store has 8\. A command's result/,
    );
  });
});

describe('interruptible sleep', () => {
  it('ends the sleep in progress and every later one', async () => {
    const idle = interruptibleSleep();
    const sleeping = idle.sleep(60_000);
    idle.interrupt();
    await sleeping;
    await idle.sleep(60_000);
  });
});
