import type { Command } from '../domain/commands.ts';

/** Reads travel through the same per-worker queues as commands, so they see a consistent order. */
export interface GetItem {
  readonly type: 'GetItem';
  readonly sku: string;
  readonly warehouseId: string;
}

export interface GetReservation {
  readonly type: 'GetReservation';
  readonly reservationId: string;
}

export type Query = GetItem | GetReservation;
export type EngineRequest = Command | Query;
