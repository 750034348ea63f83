/** Domain bounds. Edges validate against them; the deciders rely on them. */
export const limits = Object.freeze({
  /** Largest quantity one command may carry (units). */
  commandQuantityMax: 1_000_000_000,
  /** Largest total stock of one item (units); keeps all arithmetic exact in doubles. */
  totalQtyMax: 1_000_000_000_000_000,
  /** Longest hold a reservation may ask for (seconds): 30 days. */
  ttlSecondsMax: 30 * 24 * 3600,
  /** Quantity changes one reservation may accumulate after creation. */
  reservationAdjustmentsMax: 1_000,
  /** Length bounds of identifiers (characters). */
  skuLengthMax: 64,
  warehouseIdLengthMax: 64,
  idempotencyKeyLengthMax: 128,
  reasonLengthMax: 256,
  commandIdLengthMax: 128,
  /** Who issued a command: an API key's name, or what a Kafka producer declares. */
  actorLengthMax: 64,
  customerIdLengthMax: 128,
  /** Most lines an order can have at all (STOCKD_ORDER_LINES_MAX configures fewer). */
  orderLinesMax: 1_000,
  /** Quantity changes one order may go through (each adds two entries to its timeline). */
  orderChangesMax: 100,
});
