/**
 * A closed-loop load: `concurrency` callers, each issuing its next request as soon as the
 * previous one is answered, for `durationMs`. Returns completed requests per second.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  issue: (n: number) => Promise<unknown>,
): Promise<{ perSecond: number; completed: number }> {
  let next = 0;
  let completed = 0;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const caller = async () => {
    while (performance.now() < deadline) {
      await issue(next++);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const seconds = (performance.now() - startedAt) / 1000;
  return { perSecond: completed / seconds, completed };
}
