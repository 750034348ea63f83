import type { ItemStatus } from './item.ts';
import type { HoldLine, SetLineQuantity, SettleLine } from './line-commands.ts';

export type { HoldLine, SetLineQuantity, SettleLine } from './line-commands.ts';

/**
 * Commands change state. `commandId` is optional everywhere: batch producers set it so that a
 * redelivered command has no second effect; it travels into the events it causes. So does
 * `actor`, who issued the command (the name of the API key over HTTP, the producer's own word on
 * the command topic): metadata for the audit, never part of a decision or of the fingerprint.
 */
interface CommandBase {
  readonly commandId?: string | undefined;
  readonly actor?: string | undefined;
}

export interface ReceiveStock extends CommandBase {
  readonly type: 'ReceiveStock';
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly reason?: string | undefined;
}

/** Exactly one of `delta` and `setTotal` is present (validation enforces it). */
export interface AdjustStock extends CommandBase {
  readonly type: 'AdjustStock';
  readonly sku: string;
  readonly warehouseId: string;
  readonly delta?: number | undefined;
  readonly setTotal?: number | undefined;
  readonly reason: string;
}

export interface SetItemStatus extends CommandBase {
  readonly type: 'SetItemStatus';
  readonly sku: string;
  readonly warehouseId: string;
  readonly status: ItemStatus;
}

export interface Reserve extends CommandBase {
  readonly type: 'Reserve';
  readonly sku: string;
  readonly warehouseId: string;
  readonly idempotencyKey: string;
  readonly quantity: number;
  readonly ttlSeconds: number;
}

export interface ChangeReservation extends CommandBase {
  readonly type: 'ChangeReservation';
  readonly reservationId: string;
  readonly quantity: number;
}

export interface Confirm extends CommandBase {
  readonly type: 'Confirm';
  readonly reservationId: string;
}

export interface Release extends CommandBase {
  readonly type: 'Release';
  readonly reservationId: string;
}

/** Issued by the worker's expiry timer, never by a client. */
export interface Expire extends CommandBase {
  readonly type: 'Expire';
  readonly reservationId: string;
}

export type ItemCommand = ReceiveStock | AdjustStock | SetItemStatus | Reserve | HoldLine;
export type ReservationCommand =
  | ChangeReservation
  | Confirm
  | Release
  | Expire
  | SetLineQuantity
  | SettleLine;
export type Command = ItemCommand | ReservationCommand;
export type CommandType = Command['type'];

export function isReservationCommand(command: Command): command is ReservationCommand {
  return (
    command.type === 'ChangeReservation' ||
    command.type === 'Confirm' ||
    command.type === 'Release' ||
    command.type === 'Expire' ||
    command.type === 'SetLineQuantity' ||
    command.type === 'SettleLine'
  );
}

/** Commands that create a reservation, found again by their idempotency key. */
export function createsReservation(command: Command): command is Reserve | HoldLine {
  return command.type === 'Reserve' || command.type === 'HoldLine';
}
