import { Packr, Unpackr } from 'msgpackr';
import { readLeanReserveAnswer, writeLeanReserveAnswer } from './answer-wire.ts';
import { ByteReader, ByteWriter } from './byte-stream.ts';
import { readLeanReserveRequest, writeLeanReserveRequest } from './request-wire.ts';
import type { EngineRequest } from './requests.ts';
import type { EngineResult } from './results.ts';

/**
 * Batches cross the thread boundary as MessagePack in a transferred buffer, not as structured
 * clones: msgpackr records decode several times faster than V8's deserializer (0.1 µs against
 * 0.7 µs per request, 0.3 µs against 2 µs per result on the reference machine), and the buffer
 * moves without a copy. The most common request and answer, a Reserve and its answer, are
 * written field by field instead (request-wire.ts, answer-wire.ts).
 *
 * Each direction of a channel is a stream (a MessagePort delivers in order, and loses nothing),
 * so its records are *sequential*: a record's keys are sent the first time the encoder uses it and
 * remembered by the decoder at the other end for every later message. Without that, every message
 * would define its records again, and msgpackr compiles a reader for a record read three times —
 * a `new Function` per record shape per message, on both threads.
 */
export interface RequestBatch {
  /** A batch names itself so that its answer finds the caller waiting for it. */
  readonly batchId: number;
  readonly partitions: readonly number[];
  readonly requests: readonly EngineRequest[];
}

/** The answer to a batch: one result per request, in order, or the failure that stopped it. */
export type BatchAnswer =
  | { readonly batchId: number; readonly results: readonly EngineResult[] }
  | { readonly batchId: number; readonly failure: string };

/**
 * An answers message: its count of answers (u32), then each answer's batchId (f64) and kind
 * (u8): a failure (its description packed), or its count of results (u32) and each result as a
 * tag (u8) and the result — in the lean Reserve form (answer-wire.ts), or packed by msgpackr.
 * Packed parts share the channel's records in the order they are written.
 */
const resultsKind = 0;
const failureKind = 1;
const leanReserveTag = 1;
const packedTag = 0;

/**
 * A failure as it crosses a thread boundary (the error object itself does not): its name and
 * message.
 */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The sending end of one direction of a channel: every message it encodes must be posted, in
 * the order encoded, to the one decoder at the other end.
 */
export class BatchEncoder {
  #packr = newPackr();
  readonly #out = new ByteWriter();

  /**
   * A requests message, alike: its batchId (f64) and count of requests (u32), then each
   * request's partition (u32) and the request as a tag (u8) and the request — in the lean
   * Reserve form (request-wire.ts), or packed.
   */
  encodeRequests({ batchId, requests, partitions }: RequestBatch): Uint8Array {
    const out = this.#out;
    out.reset();
    out.f64(batchId);
    out.u32(requests.length);
    try {
      for (let i = 0; i < requests.length; i++) {
        out.u32(partitions[i]!);
        const at = out.length;
        out.u8(leanReserveTag);
        if (writeLeanReserveRequest(out, requests[i]!)) continue;
        out.rewind(at);
        out.u8(packedTag);
        this.#writePacked(requests[i]!);
      }
    } catch (error) {
      this.#packr = newPackr(); // a failed pack may have taken a record id no message defined
      throw error;
    }
    return out.copy();
  }

  /** The answers to every batch one commit covered, in one message. */
  encodeAnswers(answers: readonly BatchAnswer[]): Uint8Array {
    const out = this.#out;
    out.reset();
    out.u32(answers.length);
    try {
      for (const answer of answers) {
        out.f64(answer.batchId);
        if ('failure' in answer) {
          out.u8(failureKind);
          this.#writePacked(answer.failure);
          continue;
        }
        out.u8(resultsKind);
        out.u32(answer.results.length);
        for (const result of answer.results) {
          const at = out.length;
          out.u8(leanReserveTag);
          if (writeLeanReserveAnswer(out, result)) continue;
          out.rewind(at);
          out.u8(packedTag);
          this.#writePacked(result);
        }
      }
    } catch (error) {
      this.#packr = newPackr(); // see #writePacked
      throw error;
    }
    return out.copy();
  }

  /**
   * A pack that fails may have taken a record id that no message defined: its caller replaces
   * the packr, and the new one defines every record again at its first use, which the decoder
   * takes over whatever it held.
   */
  #writePacked(value: unknown): void {
    const packed = this.#packr.pack(value);
    this.#out.u32(packed.byteLength);
    this.#out.bytes(packed);
  }
}

/** The receiving end of one direction of a channel (see BatchEncoder). */
export class BatchDecoder {
  readonly #unpackr = new Unpackr({ useRecords: true, sequential: true });

  decodeRequests(bytes: Uint8Array): RequestBatch {
    const input = new ByteReader(bytes);
    const batchId = input.f64();
    const count = input.u32();
    const requests: EngineRequest[] = new Array(count);
    const partitions: number[] = new Array(count);
    for (let i = 0; i < count; i++) {
      partitions[i] = input.u32();
      requests[i] =
        input.u8() === leanReserveTag
          ? readLeanReserveRequest(input)
          : (this.#readPacked(input) as EngineRequest);
    }
    return { batchId, requests, partitions };
  }

  /**
   * `requestsOf(batchId)`, where the decoding end still holds a batch's requests, lets a lean
   * Reserve answer be read whole (answer-wire.ts); without it, it stays lean.
   */
  decodeAnswers(
    bytes: Uint8Array,
    requestsOf: (batchId: number) => readonly EngineRequest[] | undefined = () => undefined,
  ): BatchAnswer[] {
    const input = new ByteReader(bytes);
    const answers: BatchAnswer[] = [];
    for (let count = input.u32(); count > 0; count--) {
      const batchId = input.f64();
      if (input.u8() === failureKind) {
        answers.push({ batchId, failure: this.#readPacked(input) as string });
        continue;
      }
      const requests = requestsOf(batchId);
      const results: EngineResult[] = new Array(input.u32());
      for (let i = 0; i < results.length; i++) {
        results[i] =
          input.u8() === leanReserveTag
            ? readLeanReserveAnswer(input, requests?.[i])
            : (this.#readPacked(input) as EngineResult);
      }
      answers.push({ batchId, results });
    }
    return answers;
  }

  #readPacked(input: ByteReader): unknown {
    return this.#unpackr.unpack(input.bytes(input.u32()));
  }
}

function newPackr(): Packr {
  return new Packr({ useRecords: true, sequential: true });
}
