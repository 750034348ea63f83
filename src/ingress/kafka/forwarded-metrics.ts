import type { ConsumerMetrics } from './consumer-metrics.ts';
import type { ToMain } from './ingress-thread-messages.ts';

/**
 * The command ingress thread's metrics: the registry lives on the main thread, so every update
 * is posted there (one message per engine call's counts, not per command). The lag is also
 * kept here, for the consumer's own status.
 */
export function forwardedConsumerMetrics(post: (message: ToMain) => void): ConsumerMetrics {
  const lagByPartition = new Map<number, number>();
  return {
    count(outcomes, deadLetters) {
      post({ kind: 'counts', outcomes, deadLetters });
    },
    setLag(partition, lagMessages) {
      lagByPartition.set(partition, lagMessages);
      post({ kind: 'lag', partition, lagMessages });
    },
    keepPartitions(partitions) {
      const owned = new Set(partitions);
      for (const partition of lagByPartition.keys()) {
        if (!owned.has(partition)) lagByPartition.delete(partition);
      }
      post({ kind: 'partitions', partitions });
    },
    lagMessages() {
      let total = 0;
      for (const lag of lagByPartition.values()) total += lag;
      return total;
    },
  };
}
