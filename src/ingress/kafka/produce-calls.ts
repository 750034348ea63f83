import type { Message } from 'kafkajs';

/** What one produce call may carry. */
export interface ProduceCallLimits {
  readonly messagesMax: number;
  /**
   * Key and value bytes: a call's messages to one partition are one record batch, which the
   * broker refuses above its `message.max.bytes` (1 MiB by default), record overhead included.
   */
  readonly bytesMax: number;
}

/**
 * A produce's messages as consecutive runs within the limits, in order. A message larger than
 * `bytesMax` goes alone (the broker is the judge of it).
 */
export function produceCalls(messages: readonly Message[], limits: ProduceCallLimits): Message[][] {
  const calls: Message[][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const size = sizeOf(messages[i]!.key) + sizeOf(messages[i]!.value);
    if (i > start && (i - start >= limits.messagesMax || bytes + size > limits.bytesMax)) {
      calls.push(messages.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < messages.length) calls.push(messages.slice(start));
  return calls;
}

function sizeOf(part: Message['key'] | Message['value']): number {
  if (part === null || part === undefined) return 0;
  return typeof part === 'string' ? Buffer.byteLength(part) : part.length;
}
