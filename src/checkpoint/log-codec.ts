import { Packr, Unpackr } from 'msgpackr';
import { assert } from '../domain/assert.ts';
import { eventSchemaVersion, type LoggedEvent } from './logged-event.ts';

/**
 * A log chunk is the events one batch produced for one partition, MessagePack-encoded with
 * msgpackr records: each distinct event shape is described once per chunk, so the chunk decodes
 * on its own with no shared structure table to keep in step.
 */
interface Chunk {
  readonly schemaVersion: number;
  readonly events: readonly LoggedEvent[];
}

const packr = new Packr({ useRecords: true });
const unpackr = new Unpackr({ useRecords: true });

export function encodeChunk(events: readonly LoggedEvent[]): Uint8Array {
  assert(events.length > 0, 'a chunk holds at least one event');
  const chunk: Chunk = { schemaVersion: eventSchemaVersion, events };
  return packr.pack(chunk);
}

export function decodeChunk(bytes: Uint8Array): readonly LoggedEvent[] {
  const chunk = unpackr.unpack(bytes) as Chunk;
  assert(chunk.schemaVersion === eventSchemaVersion, `unknown log schema ${chunk.schemaVersion}`);
  return chunk.events;
}
