import type { Command } from '../domain/commands.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineResult } from '../worker-protocol/results.ts';

/** The entry of batch producers (the Kafka command topic, imports): many commands at once. */
export interface BatchCommands {
  /**
   * One result per command, in order, each once durable. Results stay the engine's own (with
   * `duplicate` for a redelivered commandId), since a batch producer reports each one back.
   * `whenFull: 'wait'` slows the producer down while a worker queue is full; 'reject' answers
   * OVERLOADED instead.
   */
  executeCommands(
    commands: readonly Command[],
    options: { readonly whenFull: 'wait' | 'reject' },
  ): Promise<EngineResult[]>;
}

export function createBatchCommands(deps: {
  readonly engine: Pick<Engine, 'submitMany'>;
}): BatchCommands {
  const { engine } = deps;
  return {
    executeCommands: (commands, { whenFull }) => engine.submitMany(commands, { whenFull }),
  };
}
