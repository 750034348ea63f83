import type { KafkaConfig } from '../../config/schema.ts';
import type { EngineLink } from '../../engine/engine-link.ts';
import type { LifecycleStatus } from '../../lifecycle/lifecycle.ts';
import type { BodySettings } from '../../requests/bodies.ts';
import type { MalformedReason } from './command-codec.ts';
import type { CommandOutcome } from './command-result.ts';

/**
 * What the main thread and the command ingress thread say to each other. The thread does all of
 * the Kafka work of the command path (fetch, decode, results, commits) and sends its item
 * commands to the workers itself; the main thread only runs order requests for it (their
 * sagas), one message each way per call, since every wake-up of the other thread costs CPU.
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
  /** The thread's channels to the workers; its ports are in the Worker's transfer list. */
  readonly engine: EngineLink;
}

export type ToMain =
  | {
      readonly kind: 'orders';
      readonly callId: number;
      /** packOrderRequests (ingress-thread-codec.ts). */
      readonly requests: Uint8Array;
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
  /** packResults (ingress-thread-codec.ts): one result per order request, in order. */
  | { readonly kind: 'results'; readonly callId: number; readonly results: Uint8Array }
  /** The call failed (a saga's bug): the thread's call rejects with this message. */
  | { readonly kind: 'failure'; readonly callId: number; readonly message: string }
  | { readonly kind: 'stop' };
