/** Milliseconds since the epoch as timestamptz, exactly (no float rounding as in to_timestamp). */
export const timestampOf = (column: string) =>
  `('epoch'::timestamptz + ${column} * interval '1 millisecond')`;
