import { describe, expect, it } from 'vitest';
import { dayRangeOf, pageSizeOf, reportLimits } from '../../src/reports/report-params.ts';

describe('movement day ranges', () => {
  it.each([
    ['2025-01-01', '2025-01-31', undefined],
    ['2025-01-01', '2025-01-01', undefined],
    ['2024-01-01', '2024-12-31', undefined], // 366 days (leap year)
    ['2024-01-01', '2025-01-01', 'to'], // 367 days
    ['2025-02-01', '2025-01-31', 'to'],
    ['2025-02-30', '2025-03-01', 'from'],
    ['2025-1-01', '2025-01-02', 'from'],
    ['2025-01-01', 'tomorrow', 'to'],
  ])('%s … %s → %s', (from, to, badField) => {
    const range = dayRangeOf(from, to);
    if (badField === undefined) expect(range).toEqual({ ok: true, value: { from, to } });
    else expect(range.ok === false && range.issues.map((i) => i.field)).toEqual([badField]);
  });
});

describe('page size', () => {
  it('defaults, and never exceeds the maximum', () => {
    expect(pageSizeOf(undefined)).toBe(reportLimits.levelsPageDefault);
    expect(pageSizeOf('7')).toBe(7);
    expect(pageSizeOf('9999')).toBe(reportLimits.levelsPageMax);
  });
});
