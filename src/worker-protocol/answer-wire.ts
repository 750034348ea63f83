import type { ReservationStatus } from '../domain/reservation.ts';
import type { ByteReader, ByteWriter } from './byte-stream.ts';
import type { LeanReservationView } from './lean-results.ts';
import type { EngineRequest } from './requests.ts';
import type { EngineResult, ReservationView } from './results.ts';

/**
 * The common answer — a Reserve's, `{ ok: true, applied, reservation: <lean view> }` — written
 * field by field: a flags byte, the status as a byte, the id as ASCII and six numbers as
 * float64s (exact). msgpackr's records took ~0.8 µs per answer between encoding in the worker
 * and decoding at the other end (bench/actor). Any other answer, or one whose fields do not fit
 * this form, is the caller's to write another way.
 */
const statusCodes: readonly ReservationStatus[] = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'];

/** The lean view's fields, all of which this form carries (a test holds it to the view). */
export const leanViewFields: readonly (keyof LeanReservationView)[] = [
  'reservationId',
  'quantity',
  'status',
  'ttlSeconds',
  'createdAtMs',
  'expiresAtMs',
  'updatedAtMs',
  'version',
];

type LeanReserveAnswer = {
  readonly ok: true;
  readonly applied: boolean;
  readonly reservation: LeanReservationView;
};

/** Writes `result` in the lean Reserve form; false, having written nothing, if it is not one. */
export function writeLeanReserveAnswer(out: ByteWriter, result: EngineResult): boolean {
  if (!isLeanReserveAnswer(result)) return false;
  const view = result.reservation;
  const status = statusCodes.indexOf(view.status);
  if (status < 0) return false;
  const start = out.length;
  out.u8(result.applied ? 1 : 0);
  out.u8(status);
  if (!out.shortAscii(view.reservationId)) {
    out.rewind(start);
    return false;
  }
  out.f64(view.quantity);
  out.f64(view.ttlSeconds);
  out.f64(view.createdAtMs);
  out.f64(view.expiresAtMs);
  out.f64(view.updatedAtMs);
  out.f64(view.version);
  return true;
}

/**
 * Reads one answer of the lean Reserve form. Given its Reserve, the view is built whole at once,
 * with the three fields the request holds (as reservationView builds it, in its order): no
 * second pass adds them (restoreEchoedFields), and the object never changes shape.
 */
export function readLeanReserveAnswer(input: ByteReader, request?: EngineRequest): EngineResult {
  const applied = input.u8() === 1;
  const status = statusCodes[input.u8()]!;
  const reservationId = input.shortAscii();
  if (request?.type === 'Reserve') {
    const reservation: ReservationView = {
      reservationId,
      sku: request.sku,
      warehouseId: request.warehouseId,
      idempotencyKey: request.idempotencyKey,
      quantity: input.f64(),
      status,
      ttlSeconds: input.f64(),
      createdAtMs: input.f64(),
      expiresAtMs: input.f64(),
      updatedAtMs: input.f64(),
      version: input.f64(),
    };
    return { ok: true, applied, reservation };
  }
  const reservation: LeanReservationView = {
    reservationId,
    quantity: input.f64(),
    status,
    ttlSeconds: input.f64(),
    createdAtMs: input.f64(),
    expiresAtMs: input.f64(),
    updatedAtMs: input.f64(),
    version: input.f64(),
  };
  return { ok: true, applied, reservation } as EngineResult;
}

/**
 * Exactly `{ ok: true, applied, reservation }` with a lean view (no sku: the whole view has one;
 * no orderId or history, which the lean view never has).
 */
function isLeanReserveAnswer(result: EngineResult): result is EngineResult & LeanReserveAnswer {
  if (!result.ok) return false;
  const { reservation } = result;
  return (
    reservation !== undefined &&
    result.item === undefined &&
    result.duplicate === undefined &&
    result.order === undefined &&
    result.orderWork === undefined &&
    reservation.sku === undefined &&
    reservation.orderId === undefined &&
    reservation.history === undefined
  );
}
