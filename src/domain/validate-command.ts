import type { Command } from './commands.ts';
import { limits } from './limits.ts';
import { parseReservationId } from './reservation-id.ts';

/**
 * The engine's guard on the commands it is given (nothing malformed reaches a worker, whoever
 * built it) and the check of imported receipts. What clients send — HTTP bodies and Kafka
 * command messages alike — is checked before that against the JSON Schemas of src/requests/,
 * which are built from these patterns and from the domain's limits.
 */
export const patterns = Object.freeze({
  /** Letters, digits and . _ : / - ; starts with a letter or digit. No '|' (the key separator). */
  identifier: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$',
  /** Printable ASCII without spaces. */
  token: '^[\\x21-\\x7E]+$',
  reservationId: '^rsv-(0|[1-9][0-9]{0,4})-([1-9][0-9]{0,15})$',
  /** Free text (a reason) without control characters (Unicode's Cc): they break logs. */
  text: '^[^\\u0000-\\u001f\\u007f-\\u009f]*$',
});

export interface ValidationIssue {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

const identifierRe = new RegExp(patterns.identifier);
const tokenRe = new RegExp(patterns.token);
const textRe = new RegExp(patterns.text, 'u');

const fieldsByType: Readonly<Record<Command['type'], readonly string[]>> = {
  ReceiveStock: ['sku', 'warehouseId', 'quantity', 'reason'],
  AdjustStock: ['sku', 'warehouseId', 'delta', 'setTotal', 'reason'],
  SetItemStatus: ['sku', 'warehouseId', 'status'],
  Reserve: ['sku', 'warehouseId', 'idempotencyKey', 'quantity', 'ttlSeconds'],
  ChangeReservation: ['reservationId', 'quantity'],
  Confirm: ['reservationId'],
  Release: ['reservationId'],
  Expire: ['reservationId'],
  HoldLine: ['orderId', 'sku', 'warehouseId', 'quantity', 'ttlSeconds', 'expiresAtMs'],
  SetLineQuantity: ['orderId', 'reservationId', 'quantity'],
  SettleLine: ['orderId', 'reservationId', 'action', 'quantity'],
};

/** Issued inside stockd (the expiry timer, an order's coordinator), never by a client. */
const internalTypes: ReadonlySet<string> = new Set([
  'Expire',
  'HoldLine',
  'SetLineQuantity',
  'SettleLine',
]);
/** Of those, what an order's coordinator submits through the engine. */
const lineTypes: ReadonlySet<string> = new Set(['HoldLine', 'SetLineQuantity', 'SettleLine']);

/**
 * A client's command; with `lines`, also the line commands of an order's coordinator (the
 * engine's guard: nothing malformed reaches a worker, whoever sent it).
 */
export function validateCommand(
  input: unknown,
  { lines = false }: { readonly lines?: boolean } = {},
): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid('', 'must be an object');
  }
  const raw = input as Record<string, unknown>;
  const type = raw.type;
  if (
    typeof type !== 'string' ||
    !Object.hasOwn(fieldsByType, type) ||
    (internalTypes.has(type) && !(lines && lineTypes.has(type)))
  ) {
    return invalid('type', 'must be one of the client command types');
  }
  const issues: ValidationIssue[] = [];
  const check = new Checker(raw, issues);
  const allowed = allowedFields[type as Command['type']];
  for (const field in raw) {
    if (!allowed.has(field)) issues.push({ field, message: 'is not a field of this command' });
  }
  check.optionalToken('commandId', limits.commandIdLengthMax);
  check.optionalIdentifier('actor', limits.actorLengthMax);
  checkFields(type as Command['type'], raw, check, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, command: raw as unknown as Command };
}

function checkFields(
  type: Command['type'],
  raw: Record<string, unknown>,
  check: Checker,
  issues: ValidationIssue[],
): void {
  if (allowedFields[type].has('sku')) {
    check.identifier('sku', limits.skuLengthMax);
    check.identifier('warehouseId', limits.warehouseIdLengthMax);
  }
  switch (type) {
    case 'ReceiveStock':
      check.integer('quantity', 1, limits.commandQuantityMax);
      check.optionalText('reason', limits.reasonLengthMax);
      return;
    case 'AdjustStock': {
      check.text('reason', limits.reasonLengthMax);
      const hasDelta = raw.delta !== undefined;
      const hasSetTotal = raw.setTotal !== undefined;
      if (hasDelta === hasSetTotal) {
        issues.push({ field: 'delta', message: 'exactly one of delta and setTotal is required' });
      } else if (hasDelta) {
        check.integer('delta', -limits.commandQuantityMax, limits.commandQuantityMax);
        if (raw.delta === 0) issues.push({ field: 'delta', message: 'must not be 0' });
      } else {
        check.integer('setTotal', 0, limits.totalQtyMax);
      }
      return;
    }
    case 'SetItemStatus':
      if (raw.status !== 'ACTIVE' && raw.status !== 'INACTIVE') {
        issues.push({ field: 'status', message: 'must be ACTIVE or INACTIVE' });
      }
      return;
    case 'Reserve':
      check.token('idempotencyKey', limits.idempotencyKeyLengthMax);
      check.integer('quantity', 1, limits.commandQuantityMax);
      check.integer('ttlSeconds', 1, limits.ttlSecondsMax);
      return;
    case 'ChangeReservation':
      check.reservationId('reservationId');
      check.integer('quantity', 1, limits.commandQuantityMax);
      return;
    case 'Confirm':
    case 'Release':
    case 'Expire':
      check.reservationId('reservationId');
      return;
    case 'HoldLine':
      check.token('orderId', limits.idempotencyKeyLengthMax);
      check.integer('quantity', 1, limits.commandQuantityMax);
      check.integer('ttlSeconds', 1, limits.ttlSecondsMax);
      check.integer('expiresAtMs', 0, Number.MAX_SAFE_INTEGER);
      return;
    case 'SetLineQuantity':
      check.token('orderId', limits.idempotencyKeyLengthMax);
      check.reservationId('reservationId');
      check.integer('quantity', 1, limits.commandQuantityMax);
      return;
    case 'SettleLine':
      check.token('orderId', limits.idempotencyKeyLengthMax);
      check.reservationId('reservationId');
      check.integer('quantity', 0, limits.commandQuantityMax);
      if (raw.action !== 'confirm' && raw.action !== 'release' && raw.action !== 'expire') {
        issues.push({ field: 'action', message: 'must be confirm, release or expire' });
      }
      return;
  }
}

const allowedFields = Object.fromEntries(
  Object.entries(fieldsByType).map(([type, fields]) => [
    type,
    new Set(['type', 'commandId', 'actor', ...fields]),
  ]),
) as unknown as Record<Command['type'], ReadonlySet<string>>;

/**
 * Whether `input` is a valid Reserve, building nothing: every reserve passes this on the engine's
 * path, and validateCommand — the same rules, which a property test holds this to — then runs
 * only for one that fails, to say why.
 */
export function isValidReserve(candidate: object): boolean {
  const input = candidate as Record<string, unknown>;
  const allowed = allowedFields.Reserve;
  for (const field in input) if (!allowed.has(field)) return false;
  return (
    input.type === 'Reserve' &&
    isIdentifier(input.sku, limits.skuLengthMax) &&
    isIdentifier(input.warehouseId, limits.warehouseIdLengthMax) &&
    isToken(input.idempotencyKey, limits.idempotencyKeyLengthMax) &&
    isIntegerIn(input.quantity, 1, limits.commandQuantityMax) &&
    isIntegerIn(input.ttlSeconds, 1, limits.ttlSecondsMax) &&
    (input.commandId === undefined || isToken(input.commandId, limits.commandIdLengthMax)) &&
    (input.actor === undefined || isIdentifier(input.actor, limits.actorLengthMax))
  );
}

class Checker {
  readonly #raw: Record<string, unknown>;
  readonly #issues: ValidationIssue[];

  constructor(raw: Record<string, unknown>, issues: ValidationIssue[]) {
    this.#raw = raw;
    this.#issues = issues;
  }

  identifier(field: string, lengthMax: number): void {
    this.#string(field, lengthMax, identifierRe, 'letters, digits and . _ : / - only');
  }

  optionalIdentifier(field: string, lengthMax: number): void {
    if (this.#raw[field] !== undefined) this.identifier(field, lengthMax);
  }

  token(field: string, lengthMax: number): void {
    this.#string(field, lengthMax, tokenRe, 'printable ASCII without spaces');
  }

  optionalToken(field: string, lengthMax: number): void {
    if (this.#raw[field] !== undefined) this.token(field, lengthMax);
  }

  text(field: string, lengthMax: number): void {
    const value = this.#raw[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > lengthMax) {
      this.#issues.push({ field, message: `must be a string of 1 to ${lengthMax} characters` });
    } else if (!textRe.test(value)) {
      this.#issues.push({ field, message: 'must not contain control characters' });
    }
  }

  optionalText(field: string, lengthMax: number): void {
    if (this.#raw[field] !== undefined) this.text(field, lengthMax);
  }

  integer(field: string, min: number, max: number): void {
    const value = this.#raw[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.#issues.push({ field, message: `must be an integer from ${min} to ${max}` });
    }
  }

  reservationId(field: string): void {
    const value = this.#raw[field];
    if (typeof value !== 'string' || parseReservationId(value) === undefined) {
      this.#issues.push({ field, message: 'must be a reservation id (rsv-<partition>-<seq>)' });
    }
  }

  #string(field: string, lengthMax: number, pattern: RegExp, rule: string): void {
    const value = this.#raw[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > lengthMax) {
      this.#issues.push({ field, message: `must be a string of 1 to ${lengthMax} characters` });
    } else if (!pattern.test(value)) {
      this.#issues.push({ field, message: `must contain ${rule}` });
    }
  }
}

/** A string of 1 to `lengthMax` letters, digits and `. _ : / -` (sku, warehouse, actor). */
export function isIdentifier(value: unknown, lengthMax: number): boolean {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= lengthMax &&
    identifierRe.test(value)
  );
}

/** A string of 1 to `lengthMax` printable ASCII characters without spaces (keys, commandIds). */
function isToken(value: unknown, lengthMax: number): boolean {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= lengthMax &&
    tokenRe.test(value)
  );
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(field: string, message: string): ValidationResult {
  return { ok: false, issues: [{ field, message }] };
}
