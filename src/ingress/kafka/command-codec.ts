import { Packr, Unpackr } from 'msgpackr';
import type { Command } from '../../domain/commands.ts';
import { limits } from '../../domain/limits.ts';
import { isOrderRequest, type OrderRequest } from '../../domain/order-requests.ts';
import { type ValidationIssue, validateCommand } from '../../domain/validate-command.ts';
import { validateOrderRequest } from '../../domain/validate-order.ts';

/**
 * Command messages are JSON when their value starts with `{`, else MessagePack (a MessagePack
 * map never starts with that byte). Results go back in the encoding their command came in.
 */
export type MessageEncoding = 'json' | 'msgpack';

/** Why a message is not a command; the DLQ's reason header and the dead-letter metric label. */
export type MalformedReason = 'empty' | 'too_large' | 'undecodable' | 'no_command_id' | 'invalid';

export type DecodedCommand =
  | {
      readonly ok: true;
      readonly encoding: MessageEncoding;
      readonly commandId: string;
      /** An item's command for the engine, or an order's request for its coordinator. */
      readonly command: Command | OrderRequest;
    }
  | {
      readonly ok: false;
      readonly reason: MalformedReason;
      /** For people: what exactly is wrong. */
      readonly detail: string;
      readonly commandId?: string;
      readonly issues?: readonly ValidationIssue[];
    };

const openingBrace = 0x7b;

// Untrusted input: plain maps become plain objects (msgpackr renames a `__proto__` key), and
// record structures defined by one message never carry over to the next (useRecords: false).
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });
// Plain MessagePack maps that any MessagePack reader decodes, no msgpackr record extension.
const packr = new Packr({ useRecords: false });

export function encodingOf(value: Uint8Array): MessageEncoding {
  return value[0] === openingBrace ? 'json' : 'msgpack';
}

/** Decodes and validates one message value. Never throws: a bad message is a value too. */
export function decodeCommand(value: Buffer | null, valueBytesMax: number): DecodedCommand {
  if (value === null || value.length === 0) {
    return { ok: false, reason: 'empty', detail: 'the message has no value' };
  }
  if (value.length > valueBytesMax) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `the value has ${value.length} bytes; a command has at most ${valueBytesMax}`,
    };
  }
  const encoding = encodingOf(value);
  let input: unknown;
  try {
    input = encoding === 'json' ? JSON.parse(value.toString('utf8')) : unpackr.unpack(value);
  } catch (error) {
    const format = encoding === 'json' ? 'JSON' : 'MessagePack';
    return { ok: false, reason: 'undecodable', detail: `not ${format}: ${messageOf(error)}` };
  }
  const commandId = (input as { commandId?: unknown } | null)?.commandId;
  if (typeof commandId !== 'string') {
    return { ok: false, reason: 'no_command_id', detail: 'commandId must be a string' };
  }
  const validated = isOrderRequest(input as { type: string })
    ? orderRequestOf(input)
    : validateCommand(input);
  if (!validated.ok) {
    const detail = validated.issues.map(({ field, message }) => `${field} ${message}`).join('; ');
    return { ok: false, reason: 'invalid', detail, commandId, issues: validated.issues };
  }
  return { ok: true, encoding, commandId, command: validated.command };
}

/**
 * Orders are checked against the most lines any order may have; the configured limit
 * (STOCKD_ORDER_LINES_MAX) is the use case's, which answers VALIDATION as a result.
 */
function orderRequestOf(input: unknown) {
  const validated = validateOrderRequest(input, limits.orderLinesMax);
  return validated.ok ? { ok: true as const, command: validated.request } : validated;
}

export function encodeValue(encoding: MessageEncoding, value: unknown): Buffer {
  return encoding === 'json' ? Buffer.from(JSON.stringify(value)) : packr.pack(value);
}

export function decodeValue(value: Buffer): unknown {
  return encodingOf(value) === 'json' ? JSON.parse(value.toString('utf8')) : unpackr.unpack(value);
}

export const contentTypes: Readonly<Record<MessageEncoding, string>> = {
  json: 'application/json',
  msgpack: 'application/msgpack',
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
