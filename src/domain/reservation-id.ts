/**
 * A reservation id names the partition and the sequence number of the event that created it:
 * `rsv-<partition>-<seq>`. Release and confirm carry only the id, so the id itself must route
 * them to the partition that owns the reservation; and replay recreates the same ids.
 */
const reservationIdPattern = /^rsv-(0|[1-9][0-9]{0,4})-([1-9][0-9]{0,15})$/;

export function formatReservationId(partition: number, seq: number): string {
  return `rsv-${partition}-${seq}`;
}

export function parseReservationId(
  reservationId: string,
): { partition: number; seq: number } | undefined {
  const match = reservationIdPattern.exec(reservationId);
  if (match === null) return undefined;
  return { partition: Number(match[1]), seq: Number(match[2]) };
}

/** The seq of the event that created a reservation, from an id known to be well-formed. */
export function creationSeqOf(reservationId: string): number {
  const parsed = parseReservationId(reservationId);
  if (parsed === undefined) throw new Error(`${reservationId} is not a reservation id`);
  return parsed.seq;
}
