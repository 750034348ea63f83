import { Counter, Gauge, type Registry } from 'prom-client';
import type { MalformedReason } from './command-codec.ts';
import type { CommandOutcome } from './command-result.ts';

export interface ConsumerMetrics {
  count(outcomes: readonly CommandOutcome[], deadLetters: readonly MalformedReason[]): void;
  setLag(partition: number, lagMessages: number): void;
  /** After a rebalance: only the partitions this member now owns keep a lag. */
  keepPartitions(partitions: readonly number[]): void;
  /** Messages not yet answered, all partitions this member owns (for readiness). */
  lagMessages(): number;
}

const outcomes: readonly (CommandOutcome | 'dead_letter')[] = [
  'applied',
  'unchanged',
  'duplicate',
  'rejected',
  'dead_letter',
];

export function createConsumerMetrics(registry: Registry): ConsumerMetrics {
  const commands = new Counter({
    name: 'stockd_kafka_commands_total',
    help: 'Messages of the command topic answered, by outcome (dead_letter: malformed, sent to the DLQ)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'stockd_kafka_dead_letters_total',
    help: 'Malformed command messages sent to the DLQ, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const lagByPartition = new Map<number, number>();
  new Gauge({
    name: 'stockd_kafka_consumer_lag_messages',
    help: 'Messages of the command topic not yet answered, per partition owned by this member',
    labelNames: ['partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [partition, lag] of lagByPartition) this.set({ partition }, lag);
    },
  });
  for (const outcome of outcomes) commands.inc({ outcome }, 0);

  return {
    count(commandOutcomes, deadLetterReasons) {
      // One increment per label, not per message: a slice holds thousands.
      for (const [outcome, n] of tally(commandOutcomes)) commands.inc({ outcome }, n);
      for (const [reason, n] of tally(deadLetterReasons)) deadLetters.inc({ reason }, n);
      if (deadLetterReasons.length > 0) {
        commands.inc({ outcome: 'dead_letter' }, deadLetterReasons.length);
      }
    },
    setLag(partition, lagMessages) {
      lagByPartition.set(partition, lagMessages);
    },
    keepPartitions(partitions) {
      const owned = new Set(partitions);
      for (const partition of lagByPartition.keys()) {
        if (!owned.has(partition)) lagByPartition.delete(partition);
      }
    },
    lagMessages() {
      let total = 0;
      for (const lag of lagByPartition.values()) total += lag;
      return total;
    },
  };
}

function tally<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
