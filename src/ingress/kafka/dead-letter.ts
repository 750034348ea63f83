import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { type MalformedReason, malformedCodes } from './command-codec.ts';

/** Where a consumed message came from: the DLQ records it so the original can be found. */
export interface MessageSource {
  readonly topic: string;
  readonly partition: number;
}

/** Header names the DLQ adds; the original message's own headers are kept alongside. */
export const deadLetterHeaders = Object.freeze({
  reason: 'stockd-dlq-reason',
  /** The error catalog's code: what HTTP answers for the same body (VALIDATION, BODY_TOO_LARGE). */
  code: 'stockd-dlq-code',
  detail: 'stockd-dlq-detail',
  sourceTopic: 'stockd-source-topic',
  sourcePartition: 'stockd-source-partition',
  sourceOffset: 'stockd-source-offset',
  commandId: 'stockd-command-id',
});

/** Longest header value we write (characters): a huge bad message must not get a huge reason. */
const headerLengthMax = 1_024;

/**
 * The DLQ copy of a message that is not a command: original key, value and headers, plus why
 * and where from. Keyed like the original, so one producer's bad messages stay together.
 */
export function deadLetterOf(
  source: MessageSource,
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>,
  malformed: { reason: MalformedReason; detail: string; commandId?: string },
): Message {
  const headers: IHeaders = {
    ...message.headers,
    [deadLetterHeaders.reason]: malformed.reason,
    [deadLetterHeaders.code]: malformedCodes[malformed.reason],
    [deadLetterHeaders.detail]: malformed.detail.slice(0, headerLengthMax),
    [deadLetterHeaders.sourceTopic]: source.topic,
    [deadLetterHeaders.sourcePartition]: `${source.partition}`,
    [deadLetterHeaders.sourceOffset]: message.offset,
  };
  if (malformed.commandId !== undefined) {
    headers[deadLetterHeaders.commandId] = malformed.commandId.slice(0, headerLengthMax);
  }
  return { key: message.key, value: message.value, headers };
}
