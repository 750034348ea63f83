import type { EngineRequest } from './requests.ts';
import type { EngineResult, ReservationView } from './results.ts';

/** What a Reserve's answer would only repeat: its request says it (and always the same). */
type EchoedField = 'sku' | 'warehouseId' | 'idempotencyKey';

/**
 * A Reserve's reservation view as the batch channel carries it: without the three strings its
 * request already holds. Encoding them cost the worker as much as the rest of the view; the
 * requesting end fills them back in (`restoreEchoedFields`) before anyone sees the result.
 */
export type LeanReservationView = Omit<ReservationView, EchoedField>;

/** How a worker builds the views of a batch's answers: whole, or lean for the batch channel. */
export type ResultViews = 'full' | 'lean';

/** Puts back, in place, what the worker left out of each Reserve's view (see above). */
export function restoreEchoedFields(
  requests: readonly EngineRequest[],
  results: readonly EngineResult[],
): void {
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    if (request.type !== 'Reserve') continue;
    const result = results[i]!;
    // Most come whole already (answer-wire.ts); a lean view packed by msgpackr does not.
    if (!result.ok || result.reservation === undefined || result.reservation.sku !== undefined) {
      continue;
    }
    const view = result.reservation as { -readonly [F in EchoedField]: string };
    view.sku = request.sku;
    view.warehouseId = request.warehouseId;
    view.idempotencyKey = request.idempotencyKey;
  }
}
