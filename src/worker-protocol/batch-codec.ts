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

/** A batch names itself so that its answer finds the caller waiting for it. */
export interface RequestBatch {
  readonly batchId: number;
  readonly partitions: readonly number[];
  readonly requests: readonly EngineRequest[];
}

/** The answer to a batch: one result per request, in order, or the failure that stopped it. */
export type BatchAnswer =
  | { readonly batchId: number; readonly results: readonly EngineResult[] }
  | { readonly batchId: number; readonly failure: string };

export function encodeRequests(batch: RequestBatch): Uint8Array {
  return standalone(packr.pack(batch));
}

export function decodeRequests(bytes: Uint8Array): RequestBatch {
  return unpackr.unpack(bytes) as RequestBatch;
}

/** The answers to every batch one commit covered, in one message. */
export function encodeAnswers(answers: readonly BatchAnswer[]): Uint8Array {
  return standalone(packr.pack(answers));
}

export function decodeAnswers(bytes: Uint8Array): BatchAnswer[] {
  return unpackr.unpack(bytes) as BatchAnswer[];
}

/** msgpackr returns views over its reusable buffer; a transfer needs memory of its own. */
function standalone(view: Uint8Array): Uint8Array {
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}
