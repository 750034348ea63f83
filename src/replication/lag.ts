/** Events logged but not yet published, per partition and in total. */
export interface ReplicationLag {
  readonly totalEvents: number;
  readonly byPartition: readonly number[];
}

/** Per partition: newest logged seq − published seq (never negative: both only grow). */
export function replicationLag(
  newestSeqs: readonly number[],
  publishedSeqs: readonly number[],
): ReplicationLag {
  let totalEvents = 0;
  const byPartition = newestSeqs.map((newest, partition) => {
    const lag = Math.max(0, newest - (publishedSeqs[partition] ?? 0));
    totalEvents += lag;
    return lag;
  });
  return { totalEvents, byPartition };
}
