/**
 * Which worker owns which partition. Ownership is a pure function of the counts, so the worker
 * count may change between restarts: every partition's state and log stay where they are.
 */
export function workerOfPartition(partition: number, workerCount: number): number {
  return partition % workerCount;
}

export function partitionsOfWorker(
  worker: number,
  workerCount: number,
  partitionCount: number,
): number[] {
  const owned: number[] = [];
  for (let partition = worker; partition < partitionCount; partition += workerCount) {
    owned.push(partition);
  }
  return owned;
}
