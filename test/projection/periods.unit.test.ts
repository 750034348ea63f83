import { describe, expect, it } from 'vitest';
import { nextPeriod, periodOf } from '../../src/projection/periods.ts';

const at = (iso: string) => Date.parse(iso);

describe('snapshot periods', () => {
  it('are UTC hours and days, start inclusive, end exclusive', () => {
    expect(periodOf('day', at('2025-03-10T23:59:59.999Z'))).toEqual({
      period: 'day',
      startMs: at('2025-03-10T00:00:00Z'),
      endMs: at('2025-03-11T00:00:00Z'),
    });
    expect(periodOf('day', at('2025-03-11T00:00:00Z')).startMs).toBe(at('2025-03-11T00:00:00Z'));
    expect(periodOf('hour', at('2025-03-10T13:30:00Z'))).toEqual({
      period: 'hour',
      startMs: at('2025-03-10T13:00:00Z'),
      endMs: at('2025-03-10T14:00:00Z'),
    });
  });

  it('follow each other without gaps, across a month and a year end', () => {
    const last = periodOf('day', at('2024-12-31T12:00:00Z'));
    expect(nextPeriod(last)).toEqual(periodOf('day', at('2025-01-01T00:00:00Z')));
    const hour = periodOf('hour', at('2025-02-28T23:10:00Z'));
    expect(nextPeriod(hour).startMs).toBe(at('2025-03-01T00:00:00Z'));
  });
});
