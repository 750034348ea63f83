import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { BatchRequest } from '../../app/batch-commands.ts';
import type { ErrorCode } from '../../errors.ts';
import type { EngineResult } from '../../worker-protocol/results.ts';
import {
  type CommandDecoder,
  contentTypes,
  encodeValue,
  type MalformedReason,
  type MessageEncoding,
} from './command-codec.ts';
import { type CommandOutcome, isDecided, outcomeOf, toCommandResult } from './command-result.ts';
import { deadLetterOf, type MessageSource } from './dead-letter.ts';
import { packCommandResult } from './result-msgpack.ts';

/**
 * The pure half of consuming: a slice of one partition's messages becomes the commands to submit
 * and the dead letters to write (`planSlice`); the engine's results then become result messages
 * and the offset that may be committed (`settleSlice`). The consumer does the I/O in between.
 */
export interface SlicePlan {
  readonly source: MessageSource;
  /** Valid commands, in offset order: what goes to the use cases in one call. */
  readonly commands: BatchRequest[];
  readonly entries: readonly PlanEntry[];
}

type PlanEntry =
  | {
      readonly kind: 'command';
      readonly offset: string;
      readonly commandId: string;
      readonly encoding: MessageEncoding;
      readonly command: BatchRequest;
    }
  | {
      readonly kind: 'dead';
      readonly offset: string;
      readonly reason: MalformedReason;
      readonly message: Message;
    };

export function planSlice(
  source: MessageSource,
  messages: readonly KafkaMessage[],
  decoder: CommandDecoder,
): SlicePlan {
  const commands: BatchRequest[] = [];
  const entries: PlanEntry[] = [];
  for (const message of messages) {
    const decoded = decoder.decode(message.value);
    if (decoded.ok) {
      commands.push(decoded.command);
      entries.push({ kind: 'command', offset: message.offset, ...decoded });
    } else {
      const deadLetter = deadLetterOf(source, message, decoded);
      entries.push({
        kind: 'dead',
        offset: message.offset,
        reason: decoded.reason,
        message: deadLetter,
      });
    }
  }
  return { source, commands, entries };
}

export interface SettledSlice {
  readonly results: Message[];
  readonly deadLetters: Message[];
  readonly outcomes: CommandOutcome[];
  readonly deadLetterReasons: MalformedReason[];
  /** Offset of the last message answered; undefined when not even the first one was. */
  readonly lastOffset: string | undefined;
  /** False when the engine did not decide some command (shutting down): stop at lastOffset. */
  readonly complete: boolean;
  /** Messages of the slice answered (dead letters included): the rest is to be retried. */
  readonly settledMessages: number;
  /** The code of the first command not decided, when the slice is not complete. */
  readonly undecidedCode?: ErrorCode;
}

/**
 * Pairs the engine's results (one per command, in order) with their messages. Everything up to
 * the first command the engine did not decide is answered; that command and all after it are
 * left for redelivery.
 */
export function settleSlice(plan: SlicePlan, engineResults: readonly EngineResult[]): SettledSlice {
  const results: Message[] = [];
  const deadLetters: Message[] = [];
  const outcomes: CommandOutcome[] = [];
  const deadLetterReasons: MalformedReason[] = [];
  let lastOffset: string | undefined;
  let undecidedCode: ErrorCode | undefined;
  let settledMessages = 0;
  let commandIndex = 0;
  for (const entry of plan.entries) {
    if (entry.kind === 'dead') {
      deadLetters.push(entry.message);
      deadLetterReasons.push(entry.reason);
    } else {
      const result = engineResults[commandIndex++]!;
      if (!isDecided(result)) {
        undecidedCode = result.ok ? undefined : result.code;
        break;
      }
      outcomes.push(outcomeOf(result));
      results.push(
        resultMessage(plan.source, entry.commandId, entry.encoding, entry.command, result),
      );
    }
    lastOffset = entry.offset;
    settledMessages++;
  }
  return {
    results,
    deadLetters,
    outcomes,
    deadLetterReasons,
    lastOffset,
    complete: settledMessages === plan.entries.length,
    settledMessages,
    ...(undecidedCode !== undefined && { undecidedCode }),
  };
}

/** One per encoding, shared by every result message: kafkajs only reads headers. */
const resultHeaders: Readonly<Record<MessageEncoding, IHeaders>> = {
  json: Object.freeze({ 'content-type': contentTypes.json }),
  msgpack: Object.freeze({ 'content-type': contentTypes.msgpack }),
};

/**
 * A result goes to the results partition with its command's partition number: a producer that
 * keys its commands finds their results in one partition, in command order, and kafkajs need
 * not hash every commandId to place it.
 */
function resultMessage(
  source: MessageSource,
  commandId: string,
  encoding: MessageEncoding,
  command: BatchRequest,
  result: EngineResult,
): Message {
  return {
    key: commandId,
    value:
      encoding === 'msgpack'
        ? packCommandResult(commandId, command.type, result)
        : encodeValue(encoding, toCommandResult(commandId, command.type, result)),
    partition: source.partition,
    headers: resultHeaders[encoding],
  };
}
