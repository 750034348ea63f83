import type { BatchRequest } from '../../app/batch-commands.ts';
import type { ValidationIssue } from '../../domain/validate-command.ts';
import type { ErrorCode } from '../../errors.ts';
// Untrusted input: plain maps become plain objects (msgpackr renames a `__proto__` key), no
// record structure carries over between messages, and a 64-bit integer reads as a number.
import { packWithIntegers, unpackWithIntegers } from '../../kafka/msgpack-integers.ts';
import type { BodySettings } from '../../requests/bodies.ts';
import { createCommandValidator } from '../../requests/request-validator.ts';

/**
 * Command messages are JSON when their value starts with `{` — after optional JSON whitespace
 * (space, tab, CR, LF) or a UTF-8 byte order mark — and MessagePack otherwise. No MessagePack
 * map starts with any of those bytes: `{`, space, tab, CR and LF are small positive integers
 * there, 0xEF a negative one, so nothing that could be a MessagePack command is read as JSON.
 * Results go back in the encoding their command came in.
 */
export type MessageEncoding = 'json' | 'msgpack';

/** Why a message is not a command; the DLQ's reason header and the dead-letter metric label. */
export type MalformedReason = 'empty' | 'too_large' | 'undecodable' | 'no_command_id' | 'invalid';

/** The error catalog's code of each reason: what HTTP answers for the same body. */
export const malformedCodes: Readonly<Record<MalformedReason, ErrorCode>> = {
  empty: 'VALIDATION',
  too_large: 'BODY_TOO_LARGE',
  undecodable: 'VALIDATION',
  no_command_id: 'VALIDATION',
  invalid: 'VALIDATION',
};

export type DecodedCommand =
  | {
      readonly ok: true;
      readonly encoding: MessageEncoding;
      readonly commandId: string;
      /** What the use cases take: a command, a reserve as clients send it, an order request. */
      readonly command: BatchRequest;
    }
  | {
      readonly ok: false;
      readonly reason: MalformedReason;
      /** For people: what exactly is wrong. */
      readonly detail: string;
      readonly commandId?: string;
      readonly issues?: readonly ValidationIssue[];
    };

export interface CommandDecoderSettings extends BodySettings {
  /** Largest command value (bytes). */
  readonly valueBytesMax: number;
}

export interface CommandDecoder {
  /** Decodes and validates one message value. Never throws: a bad message is a value too. */
  decode(value: Buffer | null): DecodedCommand;
}

const openingBrace = 0x7b;
const byteOrderMark = '\uFEFF';

export function encodingOf(value: Uint8Array): MessageEncoding {
  switch (value[0]) {
    case openingBrace:
    case 0x20: // space
    case 0x09: // tab
    case 0x0a: // LF
    case 0x0d: // CR
      return 'json';
    case 0xef:
      return value[1] === 0xbb && value[2] === 0xbf ? 'json' : 'msgpack';
    default:
      return 'msgpack';
  }
}

/**
 * Checks every message against the schema of its type (src/requests/: the body of its HTTP
 * request plus `type` and `commandId`), compiled once for the decoder's lifetime.
 */
export function createCommandDecoder(settings: CommandDecoderSettings): CommandDecoder {
  const validator = createCommandValidator(settings);
  return {
    decode(value) {
      if (value === null || value.length === 0) {
        return { ok: false, reason: 'empty', detail: 'the message has no value' };
      }
      if (value.length > settings.valueBytesMax) {
        return {
          ok: false,
          reason: 'too_large',
          detail: `the value has ${value.length} bytes; a command has at most ${settings.valueBytesMax}`,
        };
      }
      const encoding = encodingOf(value);
      const parsed = parse(encoding, value);
      if (!parsed.ok) return { ok: false, reason: 'undecodable', detail: parsed.detail };
      const input = parsed.input;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        const detail = 'a command is a JSON object or a MessagePack map with a string commandId';
        return { ok: false, reason: 'no_command_id', detail };
      }
      const commandId = (input as { commandId?: unknown }).commandId;
      if (typeof commandId !== 'string') {
        return { ok: false, reason: 'no_command_id', detail: 'commandId must be a string' };
      }
      const validated = validator.validate(input);
      if (!validated.ok) {
        const detail = validated.issues
          .map(({ field, message }) => (field === '' ? message : `${field} ${message}`))
          .join('; ');
        return { ok: false, reason: 'invalid', detail, commandId, issues: validated.issues };
      }
      // The schema of its type admitted it: it has that type's fields and no other.
      return {
        ok: true,
        encoding,
        commandId,
        command: validated.message as unknown as BatchRequest,
      };
    },
  };
}

type Parsed = { readonly ok: true; readonly input: unknown } | { ok: false; detail: string };

/** The value in its encoding; a failure says which format was tried and what its parser said. */
function parse(encoding: MessageEncoding, value: Buffer): Parsed {
  if (encoding === 'json') {
    try {
      return { ok: true, input: JSON.parse(withoutByteOrderMark(value.toString('utf8'))) };
    } catch (error) {
      return { ok: false, detail: `not JSON: ${messageOf(error)}` };
    }
  }
  try {
    return { ok: true, input: unpackWithIntegers(value) };
  } catch (error) {
    // Text that is not JSON-led is read as MessagePack too: say how JSON is recognised.
    const hint = isPrintable(value[0]!)
      ? ' (a JSON command starts with "{", after optional whitespace)'
      : '';
    return { ok: false, detail: `not MessagePack${hint}: ${messageOf(error)}` };
  }
}

export function encodeValue(encoding: MessageEncoding, value: unknown): Buffer {
  // Integers stay integers above 32 bits (times in ms), as in events: see msgpack-integers.ts.
  return encoding === 'json' ? Buffer.from(JSON.stringify(value)) : packWithIntegers(value);
}

export function decodeValue(value: Buffer): unknown {
  return encodingOf(value) === 'json'
    ? JSON.parse(withoutByteOrderMark(value.toString('utf8')))
    : unpackWithIntegers(value);
}

export const contentTypes: Readonly<Record<MessageEncoding, string>> = {
  json: 'application/json',
  msgpack: 'application/msgpack',
};

function withoutByteOrderMark(text: string): string {
  return text.startsWith(byteOrderMark) ? text.slice(1) : text;
}

function isPrintable(byte: number): boolean {
  return byte >= 0x21 && byte <= 0x7e;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
