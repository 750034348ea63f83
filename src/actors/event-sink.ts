import type { LogEntry } from '../checkpoint/logged-event.ts';
import type { Reservation } from '../domain/reservation.ts';

/**
 * Receives every event a request produced, after it was applied, in order; with the reservation
 * it created or changed, if any (an order's events touch none).
 */
export type EventSink = (event: LogEntry, touched: Reservation | undefined) => void;
