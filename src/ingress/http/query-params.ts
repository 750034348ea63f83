/**
 * `warehouse-id` as the seed allows it: one value, `[A,B]`, `A,B`, or the parameter repeated
 * (any mix). Returns the distinct ids in the order given.
 */
export function warehouseIdsOf(raw: string | readonly string[]): string[] {
  const values = typeof raw === 'string' ? [raw] : raw;
  const ids = values.flatMap((value) => {
    const list = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
    return list.split(',').map((id) => id.trim());
  });
  return [...new Set(ids)];
}

/** ISO-8601 date or date-time (a bare date means its start, UTC); undefined when unparsable. */
export function instantOf(text: string): number | undefined {
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
  ) {
    return undefined;
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}
