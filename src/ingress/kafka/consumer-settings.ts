/** Settings of the command consumer; every default with its unit. */
export interface CommandConsumerSettings {
  /**
   * Most messages decoded and submitted to the engine in one call, answered and committed
   * together. It bounds the work redelivered after a crash.
   */
  readonly commandsPerEngineCallMax: number;
  /** Partitions whose batches are processed at the same time. */
  readonly partitionsConcurrentlyMax: number;
  /** Largest command message value; larger ones go to the DLQ (bytes). */
  readonly valueBytesMax: number;
  /** Most bytes one fetch returns per partition (bytes). */
  readonly fetchBytesPerPartitionMax: number;
  /** Longest time the broker holds a fetch waiting for data (milliseconds). */
  readonly fetchWaitMsMax: number;
  /** The group drops a member silent this long (milliseconds). */
  readonly sessionTimeoutMs: number;
  /** Heartbeat interval; also sent after every engine call of a long batch (milliseconds). */
  readonly heartbeatIntervalMs: number;
  /** Time the broker has to acknowledge results and dead letters on all replicas (milliseconds). */
  readonly produceAckTimeoutMs: number;
}

export const commandConsumerDefaults: CommandConsumerSettings = Object.freeze({
  commandsPerEngineCallMax: 2_000,
  partitionsConcurrentlyMax: 4,
  valueBytesMax: 64 * 1024,
  fetchBytesPerPartitionMax: 1024 * 1024,
  fetchWaitMsMax: 500,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  produceAckTimeoutMs: 30_000,
});

/**
 * A redelivered command has no second effect only while its partition still remembers its
 * commandId. After a crash, what is redelivered is at most one engine call per partition being
 * consumed, and in the worst case (producers keying by something other than the item) all of
 * it lands in one stockd partition: the remembered window must be larger than that.
 */
export function checkDeduplicationWindow(
  settings: CommandConsumerSettings,
  recentCommandsMax: number,
): void {
  const redeliveredMax = settings.commandsPerEngineCallMax * settings.partitionsConcurrentlyMax;
  if (recentCommandsMax < redeliveredMax) {
    throw new Error(
      `STOCKD_RECENT_COMMANDS_MAX=${recentCommandsMax} is below the ${redeliveredMax} commands the Kafka consumer may redeliver after a crash (${settings.commandsPerEngineCallMax} per engine call × ${settings.partitionsConcurrentlyMax} partitions at once): a redelivered command could apply twice`,
    );
  }
}
