/**
 * A one-line progress bar on stderr when it is a terminal, a line per 10% otherwise (logs, CI).
 */
export function progressReporter(total: number, label: string) {
  const terminal = process.stderr.isTTY === true;
  let lastDecile = -1;
  const startedAt = performance.now();
  return {
    update(done: number): void {
      const fraction = total === 0 ? 1 : done / total;
      const perSecond = done / ((performance.now() - startedAt) / 1000 || 1);
      const text = `${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round(perSecond).toLocaleString('en-US')}/s)`;
      if (terminal) {
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
      } else if (Math.floor(fraction * 10) > lastDecile) {
        lastDecile = Math.floor(fraction * 10);
        process.stderr.write(`${text}\n`);
      }
    },
    finish(): void {
      if (terminal) process.stderr.write('\n');
    },
  };
}
