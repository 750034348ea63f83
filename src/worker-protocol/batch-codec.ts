import { Packr, Unpackr } from 'msgpackr';
import type { EngineRequest } from './requests.ts';
import type { EngineResult } from './results.ts';

/**
 * Batches cross the thread boundary as MessagePack in a transferred buffer, not as structured
 * clones: msgpackr records decode several times faster than V8's deserializer (0.1 µs against
 * 0.7 µs per request, 0.3 µs against 2 µs per result on the reference machine), and the buffer
 * moves without a copy.
 */
const packr = new Packr({ useRecords: true });
const unpackr = new Unpackr({ useRecords: true });

interface RequestBatch {
  readonly partitions: readonly number[];
  readonly requests: readonly EngineRequest[];
}

export function encodeRequests(
  requests: readonly EngineRequest[],
  partitions: readonly number[],
): Uint8Array {
  return standalone(packr.pack({ partitions, requests } satisfies RequestBatch));
}

export function decodeRequests(bytes: Uint8Array): RequestBatch {
  return unpackr.unpack(bytes) as RequestBatch;
}

export function encodeResults(results: readonly EngineResult[]): Uint8Array {
  return standalone(packr.pack(results));
}

export function decodeResults(bytes: Uint8Array): EngineResult[] {
  return unpackr.unpack(bytes) as EngineResult[];
}

/** msgpackr returns views over its reusable buffer; a transfer needs memory of its own. */
function standalone(view: Uint8Array): Uint8Array {
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}
