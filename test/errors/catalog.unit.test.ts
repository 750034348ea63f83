// The error catalog carries everything an error answer needs; messages always start from it.
import { describe, expect, it } from 'vitest';
import { errorCatalog, errorMessageOf } from '../../src/errors.ts';

describe('the error catalog', () => {
  it('gives every 503 and 507 a Retry-After, and nothing else one', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(spec.retryAfterSeconds !== undefined, code).toBe([503, 507].includes(spec.httpStatus));
      if (spec.retryAfterSeconds !== undefined) expect(spec.retriable, code).toBe(true);
    }
  });

  it.each([
    ['the code alone', 'ITEM_NOT_FOUND', {}, 'No such item in this warehouse'],
    ['a reason', 'ROUTE_NOT_FOUND', { reason: 'GET /x' }, 'No such route: GET /x'],
    [
      'the fields that are wrong',
      'VALIDATION',
      {
        issues: [
          { field: 'quantity', message: 'must be >= 1' },
          { field: '', message: 'must be object' },
        ],
      },
      'The request is not valid: quantity must be >= 1; body must be object',
    ],
  ] as const)('a message from %s', (_name, code, specifics, expected) => {
    expect(errorMessageOf(code, specifics)).toBe(expected);
  });
});
