import { AssertionError } from '../../domain/assert.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ErrorCode } from '../../errors.ts';
import type { EngineRequest } from '../../worker-protocol/requests.ts';
import type { EngineResult, OrderView } from '../../worker-protocol/results.ts';

/** What a saga needs of the engine. */
export type SagaEngine = Pick<Engine, 'submit' | 'submitMany'>;

/**
 * A saga step was not decided (stockd is stopping, short of disk space, or failed): the order is
 * left as its log says, and whatever is half done is finished by the next start's recovery (or by the next
 * request of the same order).
 */
export class SagaInterrupted extends Error {
  override name = 'SagaInterrupted';
  readonly code: ErrorCode;

  constructor(code: ErrorCode) {
    super(`an order step was not decided: ${code}`);
    this.code = code;
  }
}

const undecidedCodes: ReadonlySet<ErrorCode> = new Set([
  'OVERLOADED',
  'NOT_READY',
  'SHUTTING_DOWN',
  'STORAGE_FULL',
  'INTERNAL',
]);

/** Codes that say "not decided" rather than give a decision: the step may be run again. */
export function isUndecided(code: ErrorCode): boolean {
  return undecidedCodes.has(code);
}

/**
 * Saga steps, all decided together (the engine batches them per worker: lines of one worker go
 * in one batch). Once a saga's first step is logged it must finish, so a full queue slows it
 * down instead of refusing it. A step the engine did not decide interrupts the saga; one it
 * found malformed is a bug.
 */
export async function runSteps(
  engine: SagaEngine,
  requests: readonly EngineRequest[],
): Promise<EngineResult[]> {
  if (requests.length === 0) return [];
  const results = await engine.submitMany(requests, { whenFull: 'wait' });
  for (const [i, result] of results.entries()) {
    if (result.ok) continue;
    if (isUndecided(result.code)) throw new SagaInterrupted(result.code);
    if (result.code === 'VALIDATION') {
      throw new AssertionError(`malformed ${requests[i]!.type}: ${JSON.stringify(result.issues)}`);
    }
  }
  return results;
}

/** Steps that cannot be refused (undoing, settling, shrinking held lines). */
export async function runCertainSteps(
  engine: SagaEngine,
  requests: readonly EngineRequest[],
): Promise<void> {
  for (const [i, result] of (await runSteps(engine, requests)).entries()) {
    if (!result.ok) {
      throw new AssertionError(`${requests[i]!.type} of an order's line refused: ${result.code}`);
    }
  }
}

/** One step of the order's own partition that must apply (or find its work already done). */
export async function recordStep(engine: SagaEngine, request: EngineRequest): Promise<OrderView> {
  const [result] = await runSteps(engine, [request]);
  if (!result!.ok || result!.order === undefined) {
    const code = result!.ok ? 'no order' : result!.code;
    throw new AssertionError(`${request.type} of an order refused: ${code}`);
  }
  return result!.order;
}
