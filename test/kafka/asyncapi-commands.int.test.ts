// The command messages of docs/asyncapi.yaml are the HTTP request bodies of their routes, as the
// OpenAPI document of a running app states them (the routes' own schemas), plus `type`,
// `commandId`, the route's path id as a field, and `actor`.
// A change of a route's body without the document's (or the reverse) fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';
import { type LoadedDocument, loadDocument } from './asyncapi-document.ts';

type Schema = Record<string, unknown>;

interface Route {
  readonly method: string;
  readonly path: string;
  /** The route's `:id`, a field of the command. */
  readonly id?: 'reservationId' | 'orderId';
  /** The body of one command where the route takes more forms (bulk receipts). */
  readonly form?: (body: Schema) => Schema;
}

const routes: Record<string, Route> = {
  ReceiveStock: {
    method: 'post',
    path: '/inventory/receipts',
    form: (body) => body.else as Schema,
  },
  AdjustStock: { method: 'post', path: '/inventory/adjustments' },
  SetItemStatus: { method: 'put', path: '/inventory/status' },
  Reserve: { method: 'post', path: '/inventory/reserve' },
  ChangeReservation: { method: 'patch', path: '/reservations/{id}', id: 'reservationId' },
  Confirm: { method: 'post', path: '/inventory/confirm' },
  Release: { method: 'post', path: '/inventory/release' },
  PlaceOrder: { method: 'post', path: '/orders/' },
  ChangeOrder: { method: 'patch', path: '/orders/{id}', id: 'orderId' },
  ConfirmOrder: { method: 'post', path: '/orders/{id}/confirm', id: 'orderId' },
  CancelOrder: { method: 'post', path: '/orders/{id}/cancel', id: 'orderId' },
};

/**
 * A schema without its prose and the parser's annotations; `const: x` as `enum: [x]` (the
 * OpenAPI generator's spelling), `required` in name order. The lines' maxItems is the
 * configured STOCKD_ORDER_LINES_MAX over HTTP and the hard bound in the document (docs/kafka.md),
 * so it is left out. `field` names the property the schema describes.
 */
function normalized(schema: unknown, field = ''): unknown {
  if (Array.isArray(schema)) return schema.map((item) => normalized(item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [name, value] of Object.entries(schema)) {
    if (['description', 'title', 'examples'].includes(name) || name.startsWith('x-parser'))
      continue;
    if (name === 'maxItems' && field === 'lines') continue;
    if (name === 'const') out.enum = [value];
    else if (name === 'required') out.required = [...(value as string[])].sort();
    else if (name === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([property, v]) => [property, normalized(v, property)]),
      );
    } else out[name] = normalized(value);
  }
  return out;
}

describe('command messages of the document', () => {
  let t: TestApp;
  let doc: LoadedDocument;
  let paths: Record<string, Record<string, Schema>>;

  beforeAll(async () => {
    t = await startTestApp();
    doc = await loadDocument();
    paths = (await t.app.inject('/docs/json')).json().paths;
  });
  afterAll(() => t.close());

  it('cover every command message', () => {
    expect(Object.keys(routes).sort()).toEqual([...doc.channels.get('commands')!.keys()].sort());
  });

  it.each(Object.entries(routes))('%s is its route’s body', (type, route) => {
    const operation = paths[route.path]![route.method]! as {
      requestBody?: { content: Record<string, { schema: Schema }> };
      parameters?: { name: string; in: string; schema: Schema }[];
    };
    const whole = operation.requestBody?.content['application/json']?.schema ?? {
      type: 'object',
      additionalProperties: false,
      properties: {},
    };
    const body = normalized(route.form ? route.form(whole) : whole) as Schema;
    const command = normalized(doc.channels.get('commands')!.get(type)!.schema) as Schema;

    const added: Schema = { type: { enum: [type] }, commandId: expect.anything() };
    added.actor = expect.anything();
    if (route.id !== undefined) {
      const id = operation.parameters!.find((p) => p.in === 'path' && p.name === 'id')!;
      added[route.id] = normalized(id.schema);
    }
    expect(command).toEqual({
      ...body,
      type: 'object',
      additionalProperties: false,
      required: [
        'type',
        'commandId',
        ...(route.id ? [route.id] : []),
        ...((body.required as string[] | undefined) ?? []),
      ].sort(),
      properties: { ...added, ...(body.properties as Schema) },
    });
  });
});
