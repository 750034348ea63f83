import { limits } from './limits.ts';
import type { LineRequest } from './order.ts';
import type { OrderCommand } from './order-commands.ts';
import { orderCommandTypes } from './order-commands.ts';
import { lineKeyOf } from './order-lines.ts';
import { rejectionCodes } from './rejections.ts';
import { parseReservationId } from './reservation-id.ts';
import { isIdentifier, patterns, type ValidationIssue } from './validate-command.ts';

/**
 * The engine's guard on the order commands its coordinator issues, and what the order use cases
 * check beyond a request's schema (src/requests/, the same over HTTP and the Kafka command topic):
 * one line per item.
 */
const tokenRe = new RegExp(patterns.token);

/**
 * The lines that name an item another line names: what a JSON Schema cannot say about a request's
 * lines (the order use cases check it after the schema).
 */
export function repeatedLineIssues(lines: readonly LineRequest[]): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const [index, line] of lines.entries()) {
    const key = lineKeyOf(line);
    if (seen.has(key))
      issues.push({ field: `lines.${index}`, message: 'names an item another line names' });
    seen.add(key);
  }
  return issues;
}

/** The engine's guard: undefined when the command is well formed. */
export function validateOrderCommand(command: OrderCommand): ValidationIssue[] | undefined {
  const raw = command as unknown as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (!orderCommandTypes.includes(command.type)) {
    return [{ field: 'type', message: 'is not an order command type' }];
  }
  token(raw, 'orderId', limits.idempotencyKeyLengthMax, issues);
  checkActor(raw, issues);
  const all = { min: 0, max: limits.orderLinesMax, quantityMin: 0 };
  switch (command.type) {
    case 'OpenOrder':
      if (raw.customerId !== undefined) {
        token(raw, 'customerId', limits.customerIdLengthMax, issues);
      }
      lines(raw.lines, { ...all, min: 1, quantityMin: 1 }, issues);
      integer(raw, 'ttlSeconds', 1, limits.ttlSecondsMax, issues);
      break;
    case 'MarkOrderHeld':
    case 'CompleteOrderChange':
      entries(raw.reservations, 'reservations', issues, (entry, field) => {
        if (typeof entry.reservationId !== 'string' || !parseReservationId(entry.reservationId)) {
          issues.push({ field: `${field}.reservationId`, message: 'must be a reservation id' });
        }
      });
      break;
    case 'MarkOrderFailed':
    case 'RejectOrderChange':
      entries(raw.failures, 'failures', issues, (entry, field) => {
        if (!(rejectionCodes as readonly unknown[]).includes(entry.code)) {
          issues.push({ field: `${field}.code`, message: 'must be a rejection code' });
        }
      });
      break;
    case 'BeginOrderChange':
      lines(raw.lines, { ...all, min: 1 }, issues);
      integer(raw, 'linesMax', 1, limits.orderLinesMax, issues);
      break;
    case 'SettleOrder':
      if (!['CONFIRMED', 'CANCELLED', 'EXPIRED'].includes(command.outcome)) {
        issues.push({ field: 'outcome', message: 'must be CONFIRMED, CANCELLED or EXPIRED' });
      }
      if (raw.lines !== undefined) lines(raw.lines, all, issues);
      break;
    case 'MarkOrderSettled':
      break;
  }
  return issues.length > 0 ? issues : undefined;
}

interface LineRules {
  readonly min: number;
  readonly max: number;
  readonly quantityMin: number;
}

/** 1 to `max` distinct lines, each exactly {sku, warehouseId, quantity}. */
function lines(value: unknown, rules: LineRules, issues: ValidationIssue[]): void {
  if (!Array.isArray(value) || value.length < rules.min || value.length > rules.max) {
    issues.push({
      field: 'lines',
      message: `must be an array of ${rules.min} to ${rules.max} lines`,
    });
    return;
  }
  const seen = new Set<string>();
  for (const [index, line] of value.entries()) {
    const field = `lines.${index}`;
    if (typeof line !== 'object' || line === null || Array.isArray(line)) {
      issues.push({ field, message: 'must be an object' });
      continue;
    }
    const entry = line as Record<string, unknown>;
    for (const name in entry) {
      if (name !== 'sku' && name !== 'warehouseId' && name !== 'quantity') {
        issues.push({ field: `${field}.${name}`, message: 'is not a field of a line' });
      }
    }
    identifier(entry, 'sku', limits.skuLengthMax, issues, field);
    identifier(entry, 'warehouseId', limits.warehouseIdLengthMax, issues, field);
    integer(entry, 'quantity', rules.quantityMin, limits.commandQuantityMax, issues, field);
    if (typeof entry.sku === 'string' && typeof entry.warehouseId === 'string') {
      const key = lineKeyOf(entry as { sku: string; warehouseId: string });
      if (seen.has(key)) issues.push({ field, message: 'names an item another line names' });
      seen.add(key);
    }
  }
}

function entries(
  value: unknown,
  field: string,
  issues: ValidationIssue[],
  check: (entry: Record<string, unknown>, field: string) => void,
): void {
  if (!Array.isArray(value) || value.length > limits.orderLinesMax) {
    issues.push({ field, message: `must be an array of at most ${limits.orderLinesMax}` });
    return;
  }
  for (const [index, entry] of value.entries()) {
    const at = `${field}.${index}`;
    if (typeof entry !== 'object' || entry === null) {
      issues.push({ field: at, message: 'must be an object' });
      continue;
    }
    const line = entry as Record<string, unknown>;
    identifier(line, 'sku', limits.skuLengthMax, issues, at);
    identifier(line, 'warehouseId', limits.warehouseIdLengthMax, issues, at);
    check(line, at);
  }
}

function token(
  raw: Record<string, unknown>,
  name: string,
  lengthMax: number,
  issues: ValidationIssue[],
): void {
  const value = raw[name];
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > lengthMax ||
    !tokenRe.test(value)
  ) {
    issues.push({ field: name, message: `must be 1 to ${lengthMax} printable ASCII characters` });
  }
}

function checkActor(raw: Record<string, unknown>, issues: ValidationIssue[]): void {
  if (raw.actor !== undefined && !isIdentifier(raw.actor, limits.actorLengthMax)) {
    issues.push({
      field: 'actor',
      message: `must be 1 to ${limits.actorLengthMax} letters, digits and . _ : / -`,
    });
  }
}

function identifier(
  raw: Record<string, unknown>,
  name: string,
  lengthMax: number,
  issues: ValidationIssue[],
  prefix: string,
): void {
  if (!isIdentifier(raw[name], lengthMax)) {
    issues.push({
      field: `${prefix}.${name}`,
      message: `must be 1 to ${lengthMax} letters, digits and . _ : / -`,
    });
  }
}

function integer(
  raw: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  issues: ValidationIssue[],
  prefix?: string,
): void {
  const value = raw[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const field = prefix === undefined ? name : `${prefix}.${name}`;
    issues.push({ field, message: `must be an integer from ${min} to ${max}` });
  }
}
