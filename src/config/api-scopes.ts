/**
 * What an API key may do, one scope per kind of access (docs/architecture.md, "Access"), as
 * Shopify's read_inventory / write_inventory or Spree's read_stock / write_stock:
 *
 *   inventory:read      levels (now and as of), history, reservations and orders by id
 *   inventory:reserve   reserve, change, confirm and release holds; place and settle orders
 *   inventory:admin     receipts, adjustments, item status
 *   reports:read        the PostgreSQL reports
 *
 * A scope grants exactly its own routes: a key that reserves and reads carries both scopes.
 */
export const apiScopes = [
  'inventory:read',
  'inventory:reserve',
  'inventory:admin',
  'reports:read',
] as const;

export type ApiScope = (typeof apiScopes)[number];

export function isApiScope(value: string): value is ApiScope {
  return (apiScopes as readonly string[]).includes(value);
}
