import { describe, expect, it } from 'vitest';
import { commandFingerprint, isSameCommand } from '../../src/domain/command-fingerprint.ts';
import type { Command } from '../../src/domain/commands.ts';

const reserve: Command = {
  type: 'Reserve',
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  idempotencyKey: 'order-1',
  quantity: 2,
  ttlSeconds: 900,
  commandId: 'c-1',
};

describe('a command fingerprint', () => {
  // Stored in the log and in snapshots: these values must never change. They were computed
  // apart from this code, by a separate implementation of the canonical form described in
  // command-fingerprint.ts and of FNV-1a's step (xor, then multiply by 16777619 mod 2³²).
  it.each([
    [reserve, 1_307_211_225],
    [{ type: 'ReceiveStock', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 5 }, 3_727_704],
    [
      { type: 'AdjustStock', sku: 'S', warehouseId: 'W', delta: -3, reason: 'count' },
      1_198_451_466,
    ],
    [{ type: 'Release', reservationId: 'rsv-1-2' }, 3_600_556_146],
  ] as [Command, number][])('of %o is pinned', (command, fingerprint) => {
    expect(commandFingerprint(command)).toBe(fingerprint);
  });

  it('ignores the commandId', () => {
    expect(commandFingerprint({ ...reserve, commandId: 'other' })).toBe(
      commandFingerprint(reserve),
    );
    const { commandId: _, ...withoutId } = reserve;
    expect(commandFingerprint(withoutId as Command)).toBe(commandFingerprint(reserve));
  });

  it.each([
    ['sku', { ...reserve, sku: 'SKU-2' }],
    ['warehouse', { ...reserve, warehouseId: 'WH-2' }],
    ['idempotency key', { ...reserve, idempotencyKey: 'order-2' }],
    ['quantity', { ...reserve, quantity: 3 }],
    ['ttl', { ...reserve, ttlSeconds: 901 }],
    ['fields shifted between strings', { ...reserve, sku: 'SKU-1W', warehouseId: 'H-1' }],
    ['type', { type: 'ReceiveStock', sku: 'SKU-1', warehouseId: 'WH-1', quantity: 2 }],
  ] as [string, Command][])('changes with the %s', (_, other) => {
    expect(commandFingerprint(other)).not.toBe(commandFingerprint(reserve));
  });

  it('tells delta from setTotal, a reason from none, and big quantities apart', () => {
    const adjust = { type: 'AdjustStock', sku: 'S', warehouseId: 'W', reason: 'r' } as const;
    expect(commandFingerprint({ ...adjust, delta: 5 })).not.toBe(
      commandFingerprint({ ...adjust, setTotal: 5 }),
    );
    const receive = { type: 'ReceiveStock', sku: 'S', warehouseId: 'W', quantity: 1 } as const;
    expect(commandFingerprint({ ...receive, reason: '' })).not.toBe(commandFingerprint(receive));
    expect(commandFingerprint({ ...receive, quantity: 2 ** 32 + 1 })).not.toBe(
      commandFingerprint(receive),
    );
  });

  it('is an unsigned 32-bit integer', () => {
    const fingerprint = commandFingerprint(reserve);
    expect(Number.isInteger(fingerprint) && fingerprint >= 0 && fingerprint < 2 ** 32).toBe(true);
  });

  it('identifies the same command, or passes one remembered without a fingerprint', () => {
    expect(isSameCommand(7, 7)).toBe(true);
    expect(isSameCommand(7, 8)).toBe(false);
    expect(isSameCommand(undefined, 8)).toBe(true);
  });
});
