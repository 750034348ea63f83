import type { ValidationIssue } from '../domain/validate-command.ts';

/** Bounds of every report answer. */
export const reportLimits = Object.freeze({
  /** Items per page of a levels report (default and most). */
  levelsPageDefault: 100,
  levelsPageMax: 1_000,
  /** Events of one reservation's timeline (a reservation allows 1,000 changes, plus 2). */
  timelineEventsMax: 1_100,
  /** Days of one movements report. */
  movementDaysMax: 366,
});

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** `limit` (query strings are not coerced: it arrives as text, the schema checked its digits). */
export function pageSizeOf(text: string | undefined): number {
  return Math.min(
    reportLimits.levelsPageMax,
    text === undefined ? reportLimits.levelsPageDefault : Number(text),
  );
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** An inclusive range of UTC days, YYYY-MM-DD, at most movementDaysMax long. */
export function dayRangeOf(from: string, to: string): Parsed<{ from: string; to: string }> {
  const issues: ValidationIssue[] = [];
  const fromMs = dayStartMs(from);
  const toMs = dayStartMs(to);
  if (fromMs === undefined) issues.push({ field: 'from', message: 'must be a date YYYY-MM-DD' });
  if (toMs === undefined) issues.push({ field: 'to', message: 'must be a date YYYY-MM-DD' });
  if (fromMs !== undefined && toMs !== undefined) {
    if (toMs < fromMs) issues.push({ field: 'to', message: 'must not be before from' });
    else if ((toMs - fromMs) / dayMs + 1 > reportLimits.movementDaysMax) {
      issues.push({ field: 'to', message: `spans more than ${reportLimits.movementDaysMax} days` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { from, to } };
}

function dayStartMs(text: string): number | undefined {
  if (!dayPattern.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse accepts 2025-02-30 (as March 2): a real day prints back the same.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms;
}
