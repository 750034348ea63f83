import { LogWriter, type LogWriterOptions } from '../../src/checkpoint/log-writer.ts';
import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import type { Store } from '../../src/checkpoint/store.ts';
import type { FaultInjector } from './faults.ts';

/**
 * The worker's log writer with one more crash point: before each append, that is between a
 * batch's decisions (already applied in memory) and its events reaching the writer. The other
 * points of the write path are the store's writes themselves (sim-disk.ts).
 */
export class CrashingLogWriter extends LogWriter {
  readonly #faults: FaultInjector;

  constructor(store: Store, options: LogWriterOptions, faults: FaultInjector) {
    super(store, options);
    this.#faults = faults;
  }

  override append(partition: number, events: readonly LoggedEvent[]): void {
    this.#faults.point('appending');
    super.append(partition, events);
  }
}
