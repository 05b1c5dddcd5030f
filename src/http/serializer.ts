import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = { [key: string]: unknown };
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The response shape as fast-json-stringify reads it: `X | null` as a type list (its anyOf validates each
 * value to pick a branch), and no formats or patterns (values are strings already; a format would make it
 * reformat Date objects, which no response holds).
 */
function forStringify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forStringify);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as JsonSchema;
  const anyOf = schema.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2) {
    const value = anyOf.find((s) => s.type !== 'null');
    if (anyOf.some((s) => s.type === 'null') && value && SCALARS.has(value.type as string)) {
      const { anyOf: _anyOf, ...rest } = schema;
      return forStringify({ ...rest, ...value, type: [value.type, 'null'] });
    }
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' || key === 'pattern' || key === '$schema') continue;
    out[key] =
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, forStringify(v)]))
        : forStringify(value);
  }
  return out;
}

/**
 * Serializes a route's responses with fast-json-stringify compiled from the zod schema, instead of a zod
 * encode then JSON.stringify (15 % of the invoice list's CPU). Like the zod serializer it writes only the
 * declared fields (the schemas are closed objects), so nothing undeclared reaches a client; a schema that
 * JSON Schema cannot express (transforms) keeps the zod serializer.
 */
export function fastSerializerCompiler(route: {
  schema: unknown;
  method: string;
  url: string;
}): (data: unknown) => string {
  let stringify: (data: unknown) => string;
  try {
    stringify = fastJson(
      forStringify(z.toJSONSchema(route.schema as z.ZodType, { io: 'output', target: 'draft-7' })) as never,
    );
  } catch {
    return serializerCompiler(route as never);
  }
  return (data) => stringify(data);
}
