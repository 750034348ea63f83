import type { KafkaConfig } from '../../config/schema.ts';
import type { LifecycleStatus } from '../../lifecycle/lifecycle.ts';
import type { BodySettings } from '../../requests/bodies.ts';
import type { MalformedReason } from './command-codec.ts';
import type { CommandOutcome } from './command-result.ts';

/**
 * What the main thread and the command ingress thread say to each other. The thread does all of
 * the Kafka work of the command path (fetch, decode, results, commits); the main thread only
 * runs engine calls for it, one message each way per engine call of thousands of commands,
 * since every wake-up of the other thread costs CPU on this path.
 */
export interface IngressThreadData {
  readonly kafka: KafkaConfig;
  /** What the command messages' schemas depend on: the same settings as HTTP's bodies. */
  readonly requests: BodySettings;
  /** The store's partition count: the command topics must have as many. */
  readonly partitionCount: number;
  readonly logLevel: string;
  /** The main logger's bindings, so the thread's lines read like the rest of stockd's. */
  readonly logBindings: Record<string, unknown>;
}

export type ToMain =
  | {
      readonly kind: 'execute';
      readonly callId: number;
      /** packCommands (ingress-thread-codec.ts). */
      readonly commands: Uint8Array;
      readonly whenFull: 'wait' | 'reject';
    }
  | { readonly kind: 'status'; readonly status: LifecycleStatus }
  | {
      readonly kind: 'counts';
      readonly outcomes: readonly CommandOutcome[];
      readonly deadLetters: readonly MalformedReason[];
    }
  | { readonly kind: 'lag'; readonly partition: number; readonly lagMessages: number }
  | { readonly kind: 'partitions'; readonly partitions: readonly number[] }
  | { readonly kind: 'stopped' };

export type ToThread =
  /** packResults (ingress-thread-codec.ts): one result per command, in order. */
  | { readonly kind: 'results'; readonly callId: number; readonly results: Uint8Array }
  /** The engine call failed (a worker failure): the thread's call rejects with this message. */
  | { readonly kind: 'failure'; readonly callId: number; readonly message: string }
  | { readonly kind: 'stop' };
