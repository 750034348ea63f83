// docs/asyncapi.yaml read the way its users read it: through the official AsyncAPI parser, each
// message's payload and headers compiled with AJV, for the tests that hold the code to it.
import { readFile } from 'node:fs/promises';
import { Parser } from '@asyncapi/parser';
import { Ajv, type ValidateFunction } from 'ajv';
import type { KafkaMessage } from 'kafkajs';
import { expect } from 'vitest';
import { asyncApiDocumentUrl } from '../../src/ingress/http/asyncapi.ts';

/** A message of the document: its schemas, compiled. */
export interface DocumentMessage {
  readonly payload: ValidateFunction | undefined;
  readonly headers: ValidateFunction | undefined;
  /** Every property name the payload schema lists (through allOf). */
  readonly fields: ReadonlySet<string>;
  readonly schema: Record<string, unknown>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('int64', {
  type: 'number',
  validate: (value: number) => Number.isSafeInteger(value),
});

function fieldsOf(schema: Record<string, unknown>, into = new Set<string>()): Set<string> {
  for (const name of Object.keys((schema.properties as object | undefined) ?? {})) into.add(name);
  for (const part of (schema.allOf as Record<string, unknown>[] | undefined) ?? []) {
    fieldsOf(part, into);
  }
  return into;
}

export async function loadDocument() {
  const text = await readFile(asyncApiDocumentUrl, 'utf8');
  const { document, diagnostics } = await new Parser().parse(text);
  const channels = new Map<string, Map<string, DocumentMessage>>();
  for (const channel of document?.channels().all() ?? []) {
    const messages = new Map<string, DocumentMessage>();
    for (const message of channel.messages().all()) {
      const payload = message.payload()?.json() as Record<string, unknown> | undefined;
      const headers = message.headers()?.json() as Record<string, unknown> | undefined;
      messages.set(message.id(), {
        payload: payload && ajv.compile(payload),
        headers: headers && ajv.compile(headers),
        fields: payload ? fieldsOf(payload) : new Set(),
        schema: payload ?? {},
      });
    }
    channels.set(channel.id(), messages);
  }
  return { document, diagnostics, channels, raw: document?.json() as unknown };
}

export type LoadedDocument = Awaited<ReturnType<typeof loadDocument>>;

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function headersOf(message: KafkaMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [
      name,
      String(Array.isArray(value) ? value[0] : value),
    ]),
  );
}

/** Checks one value against a message of the document: schema, and no field it does not list. */
export function conformance(
  message: DocumentMessage | undefined,
  value: unknown,
  kafka?: KafkaMessage,
) {
  expect(message, 'the document has this message').toBeDefined();
  const problems = errorsOf(message!.payload!, value);
  const unlisted = Object.keys(value as object).filter((field) => !message!.fields.has(field));
  const headerProblems =
    kafka && message!.headers ? errorsOf(message!.headers, headersOf(kafka)) : [];
  return { problems, unlisted, headerProblems };
}

export const clean = { problems: [], unlisted: [], headerProblems: [] };
