import type { BackoffPolicy } from '../retry/backoff.ts';

/** Settings of the outbox relay; every default with its unit. */
export interface RelaySettings {
  /**
   * Most events in one produce call, all partitions together (events). Moderate on purpose:
   * kafkajs 2.2.4 groups a call's messages by partition in time quadratic in their number.
   */
  readonly roundEventsMax: number;
  /**
   * Most bytes of event values per partition in one produce call (bytes). One partition's
   * messages form one record batch, which the broker refuses above message.max.bytes (1 MiB by
   * default).
   */
  readonly partitionBatchBytesMax: number;
  /** Wait before looking for new events after a round that found none (milliseconds). */
  readonly idlePollMs: number;
  /** Waits after failed rounds: doubling per failure, with jitter. */
  readonly backoff: BackoffPolicy;
  /** While failing, at most one log line per this interval (milliseconds). */
  readonly failureLogIntervalMs: number;
  /** Time the broker has to acknowledge a produce on all replicas (milliseconds). */
  readonly produceAckTimeoutMs: number;
  /** Longest wait in stop() for the produce in flight; then the producer is dropped (milliseconds). */
  readonly stopWaitMsMax: number;
}

export const relayDefaults: RelaySettings = Object.freeze({
  roundEventsMax: 4_096,
  partitionBatchBytesMax: 512 * 1024,
  idlePollMs: 50,
  backoff: { initialMs: 250, maxMs: 10_000 },
  failureLogIntervalMs: 30_000,
  produceAckTimeoutMs: 30_000,
  stopWaitMsMax: 10_000,
});
