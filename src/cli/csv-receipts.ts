/** One receipt line of an import file: `sku,warehouseId,quantity[,reason]`. Pure. */
export interface ReceiptLine {
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly reason?: string;
}

export type ParsedLine =
  | { readonly kind: 'receipt'; readonly receipt: ReceiptLine }
  | { readonly kind: 'skip' }
  | { readonly kind: 'error'; readonly message: string };

/** Parses a CSV line; a header line (starting with "sku") and blank lines are skipped. */
export function parseReceiptLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (trimmed === '' || /^sku\s*,/i.test(trimmed)) return { kind: 'skip' };
  const fields = splitCsv(trimmed);
  if (fields.length < 3 || fields.length > 4) {
    return { kind: 'error', message: `expected 3 or 4 fields, got ${fields.length}` };
  }
  const [sku, warehouseId, quantityText, reason] = fields as [string, string, string, string?];
  if (!/^\d+$/.test(quantityText)) {
    return { kind: 'error', message: `quantity "${quantityText}" is not a positive integer` };
  }
  return {
    kind: 'receipt',
    receipt: {
      sku,
      warehouseId,
      quantity: Number(quantityText),
      ...(reason !== undefined && reason !== '' && { reason }),
    },
  };
}

/** Comma-separated fields; double quotes enclose commas, "" is a literal quote. */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field.trim());
  return fields;
}
