import type { ValidationIssue } from '../domain/validate-command.ts';
import type { EngineResult } from '../worker-protocol/results.ts';

/**
 * A use case refused: a stable code from the error catalog (and for VALIDATION the fields that
 * are wrong). Business outcomes are values, never exceptions; the engine's refusals pass through
 * unchanged.
 */
export type Refusal = Extract<EngineResult, { ok: false }>;

/** What every use case answers: its value, or a refusal. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | Refusal;

export const accepted = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const invalid = (...issues: ValidationIssue[]): Refusal => ({
  ok: false,
  code: 'VALIDATION',
  issues,
});
