import { parseReservationId } from '../domain/reservation-id.ts';
import { partitionOf, partitionOfItem } from '../partitioner/partition-of.ts';
import { type EngineRequest, isOrderRequest } from '../worker-protocol/requests.ts';

/**
 * The partition a request belongs to: by item key, or — for requests that name only a
 * reservation — by the partition written into the reservation id; an order's own requests by
 * its orderId (a line of it is a request of its item). Undefined when the id names a partition
 * this store does not have (it cannot exist here).
 */
export function partitionOfRequest(
  request: EngineRequest,
  partitionCount: number,
): number | undefined {
  if ('reservationId' in request) {
    const partition = parseReservationId(request.reservationId)?.partition;
    return partition !== undefined && partition < partitionCount ? partition : undefined;
  }
  if (isOrderRequest(request)) {
    if (request.type !== 'ListOrderWork') return partitionOf(request.orderId, partitionCount);
    return request.partition < partitionCount ? request.partition : undefined;
  }
  return partitionOfItem(request.sku, request.warehouseId, partitionCount);
}
