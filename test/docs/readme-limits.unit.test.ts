import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyLimits } from '../../src/app/item-history.ts';
import { warehousesPerQueryMax } from '../../src/app/levels.ts';
import { loadConfig } from '../../src/config/config.ts';
import { limits } from '../../src/domain/limits.ts';
import { patterns, validateCommand } from '../../src/domain/validate-command.ts';
import { createCommandValidator } from '../../src/requests/request-validator.ts';

/**
 * README's table of limits, kept in step with the constants the validation reads: the domain's
 * limits and patterns (HTTP's schemas and the command validator both use them), the use cases'
 * query bounds and the configuration's defaults.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const n = (value: number) => value.toLocaleString('en-US');
/** A pattern as a Markdown table cell shows it: `|` escaped. */
const code = (pattern: string) => `\`${pattern.replaceAll('|', '\\|')}\``;
const defaults = loadConfig({});

const expected: [string, string][] = [
  [
    '`quantity` of a receipt, a reserve or a reservation change',
    `1 to ${n(limits.commandQuantityMax)}`,
  ],
  [
    '`delta` of an adjustment',
    `−${n(limits.commandQuantityMax)} to ${n(limits.commandQuantityMax)}, not 0`,
  ],
  [
    "`setTotal` of an adjustment, and an item's total stock",
    `0 to ${n(limits.totalQtyMax)} (\`QUANTITY_LIMIT_EXCEEDED\` beyond)`,
  ],
  [
    '`ttlSeconds` of a reserve',
    `1 to ${n(limits.ttlSecondsMax)} (${limits.ttlSecondsMax / 86_400} days); without it \`STOCKD_DEFAULT_TTL_SECONDS\` (${defaults.defaultTtlSeconds})`,
  ],
  [
    'quantity changes of one reservation',
    `${n(limits.reservationAdjustmentsMax)} (\`ADJUSTMENT_LIMIT_REACHED\` beyond)`,
  ],
  ['`sku`', `1 to ${limits.skuLengthMax} characters matching ${code(patterns.identifier)}`],
  [
    '`warehouseId`',
    `1 to ${limits.warehouseIdLengthMax} characters matching ${code(patterns.identifier)}`,
  ],
  [
    '`idempotencyKey` (or `orderId`)',
    `1 to ${limits.idempotencyKeyLengthMax} characters matching ${code(patterns.token)} (printable ASCII, no spaces)`,
  ],
  [
    '`commandId` (Kafka commands)',
    `1 to ${limits.commandIdLengthMax} characters matching ${code(patterns.token)} (printable ASCII, no spaces)`,
  ],
  [
    '`actor` (Kafka commands)',
    `1 to ${limits.actorLengthMax} characters matching ${code(patterns.identifier)}`,
  ],
  ['`reason`', `1 to ${limits.reasonLengthMax} characters, no control characters`],
  ['`reservationId`', `\`rsv-<partition>-<seq>\`: ${code(patterns.reservationId)}`],
  ['warehouses in one `GET /inventory`', n(warehousesPerQueryMax)],
  [
    'events in one `GET /inventory/history` answer',
    `${n(historyLimits.eventsDefault)} by default; \`limit\` up to ${n(historyLimits.eventsMax)}`,
  ],
  [
    'items in one bulk receipt or bulk reserve',
    `${n(defaults.http.bulkItemsMax)} (\`STOCKD_BULK_ITEMS_MAX\`)`,
  ],
  [
    'request body',
    `${n(defaults.http.bodyLimitBytes)} bytes (\`STOCKD_HTTP_BODY_LIMIT_BYTES\`; \`BODY_TOO_LARGE\` beyond)`,
  ],
];

function limitsTable(): [string, string][] {
  const start = readme.indexOf('\n### Limits\n');
  expect(start, 'README has a Limits section').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  return [...section.matchAll(/^\| (.+?) \| (.+) \|$/gm)]
    .map(([, what, limit]) => [what!, limit!] as [string, string])
    .filter(([what]) => what !== 'what' && !what.startsWith('-'));
}

describe("README's table of limits", () => {
  it('gives every limit as the code has it, and no others', () => {
    expect(limitsTable()).toEqual(expected);
  });

  // The constants are the ones enforced: a command at each limit passes, one past it does not —
  // by the engine's guard, and by the schemas HTTP and the Kafka command topic check bodies with.
  const messages = createCommandValidator({
    defaultTtlSeconds: defaults.defaultTtlSeconds,
    linesMax: defaults.orders.linesMax,
  });
  const reserve = { type: 'Reserve', sku: 'S', warehouseId: 'W', idempotencyKey: 'k' };
  it.each([
    [
      'quantity',
      { ...reserve, quantity: limits.commandQuantityMax, ttlSeconds: 1 },
      'quantity',
      limits.commandQuantityMax + 1,
    ],
    [
      'ttlSeconds',
      { ...reserve, quantity: 1, ttlSeconds: limits.ttlSecondsMax },
      'ttlSeconds',
      limits.ttlSecondsMax + 1,
    ],
    [
      'sku',
      { ...reserve, quantity: 1, ttlSeconds: 1, sku: 's'.repeat(limits.skuLengthMax) },
      'sku',
      's'.repeat(limits.skuLengthMax + 1),
    ],
    [
      'warehouseId',
      {
        ...reserve,
        quantity: 1,
        ttlSeconds: 1,
        warehouseId: 'w'.repeat(limits.warehouseIdLengthMax),
      },
      'warehouseId',
      'w'.repeat(limits.warehouseIdLengthMax + 1),
    ],
    [
      'idempotencyKey',
      {
        ...reserve,
        quantity: 1,
        ttlSeconds: 1,
        idempotencyKey: 'k'.repeat(limits.idempotencyKeyLengthMax),
      },
      'idempotencyKey',
      'k'.repeat(limits.idempotencyKeyLengthMax + 1),
    ],
    [
      'commandId',
      { ...reserve, quantity: 1, ttlSeconds: 1, commandId: 'c'.repeat(limits.commandIdLengthMax) },
      'commandId',
      'c'.repeat(limits.commandIdLengthMax + 1),
    ],
    [
      'actor',
      { ...reserve, quantity: 1, ttlSeconds: 1, actor: 'a'.repeat(limits.actorLengthMax) },
      'actor',
      'a'.repeat(limits.actorLengthMax + 1),
    ],
    [
      'reason',
      {
        type: 'ReceiveStock',
        sku: 'S',
        warehouseId: 'W',
        quantity: 1,
        reason: 'r'.repeat(limits.reasonLengthMax),
      },
      'reason',
      'r'.repeat(limits.reasonLengthMax + 1),
    ],
  ])('enforces the limit of %s', (_, atLimit, field, pastLimit) => {
    expect(validateCommand(atLimit)).toMatchObject({ ok: true });
    expect(validateCommand({ ...atLimit, [field]: pastLimit })).toMatchObject({
      ok: false,
      issues: [{ field }],
    });
    const message = { commandId: 'c', ...atLimit };
    expect(messages.validate(message)).toMatchObject({ ok: true });
    expect(messages.validate({ ...message, [field]: pastLimit })).toMatchObject({
      ok: false,
      issues: [{ field }],
    });
  });
});
