import { describe, expect, it } from 'vitest';
import { BatchLedger } from '../../src/actors/batch-ledger.ts';

describe('the batch ledger', () => {
  it('counts a batch durable once a commit covering it landed', () => {
    const ledger = new BatchLedger();
    const first = ledger.decided();
    const second = ledger.decided();
    expect([ledger.isDurable(first), ledger.isDurable(second)]).toEqual([false, false]);
    ledger.committed(ledger.last);
    expect([ledger.isDurable(first), ledger.isDurable(second)]).toEqual([true, true]);
  });

  it('loses every batch not on disk when a commit fails, for good', () => {
    const ledger = new BatchLedger();
    ledger.decided();
    ledger.committed(ledger.last); // 1 on disk
    const lost = [ledger.decided(), ledger.decided()]; // 2, 3 in the failed commit
    ledger.failed();
    const after = ledger.decided(); // 4 decided on the reloaded state
    ledger.committed(ledger.last);
    expect(lost.map((batch) => ledger.isDurable(batch))).toEqual([false, false]);
    expect([ledger.isDurable(1), ledger.isDurable(after)]).toEqual([true, true]);
  });

  it('loses nothing when everything decided is already on disk', () => {
    const ledger = new BatchLedger();
    ledger.decided();
    ledger.committed(ledger.last);
    ledger.failed();
    expect(ledger.isDurable(1)).toBe(true);
  });
});
