import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '../../src/storage/database.ts';
import { call, fixture, type Fixture } from '../http/support.ts';

/**
 * Property: every JSON write route of the API, given any body (random JSON, the route's own field names
 * with hostile values, prototype keys, huge strings and numbers), answers without a 500, every refusal is
 * application/problem+json with a stable code and no stack, and a refused request has written nothing.
 * The routes come from the OpenAPI document, so a new route is fuzzed without editing this test.
 */
type Operation = { method: 'POST' | 'PUT' | 'PATCH'; path: string; fields: string[] };
const TABLES = [
  'companies',
  'customers',
  'contacts',
  'invoices',
  'payments',
  'credit_notes',
  'allocations',
  'quotes',
  'policies',
  'templates',
  'runs',
  'communications',
  'reminders',
  'outbox',
  'webhooks',
  'api_tokens',
  'memberships',
  'audit_log',
];
// Multipart (the CSV upload is fuzzed on its own in csv-fuzz.test.ts) and the session's own credentials.
const LEFT_OUT = ['/api/v1/import/{kind}'];

const hostile = fc.constantFrom(
  '',
  ' ',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '"; drop table invoices; --',
  '{{ 7*7 }}',
  '{% for i in (1..999999999) %}x{% endfor %}',
  "=cmd|' /C calc'!A0",
  '../../etc/passwd',
  '\u0000',
  '\u202e',
  'é'.repeat(10_000),
  '2025-02-30',
  '9999-99-99',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  'a@b',
  'admin',
  'EUR',
  'fr',
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostile },
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -0, 0.1, 2 ** 31, null, [], {}, [null], {
    __proto__: { admin: true },
  }),
);
const body = (fields: string[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary:
        fields.length > 0
          ? fc.dictionary(
              fc.oneof(
                { weight: 4, arbitrary: fc.constantFrom(...fields) },
                fc.constantFrom('__proto__', 'constructor', 'companyId', 'id'),
              ),
              value,
              { maxKeys: fields.length + 2 },
            )
          : fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 4 }),
    },
    fc.jsonValue({ maxDepth: 4 }),
  );

let f: Fixture;
let operations: Operation[];
beforeAll(async () => {
  f = await fixture('sqlite');
  await f.app.ready();
  const spec = (
    f.app as unknown as {
      swagger(): {
        paths: Record<
          string,
          Record<
            string,
            { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }
          >
        >;
      };
    }
  ).swagger();
  operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['post', 'put', 'patch'].includes(method))
      .filter(() => path.startsWith('/api/v1/') && !LEFT_OUT.includes(path))
      .map(([method, op]) => ({
        method: method.toUpperCase() as Operation['method'],
        path,
        fields: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      })),
  );
}, 120_000);
afterAll(async () => f?.dispose());

function concrete(path: string): string {
  const { alpha } = f;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'id') {
      if (path.startsWith('/api/v1/customers')) return alpha.marie.id;
      if (path.startsWith('/api/v1/users')) return f.users.viewer;
      return alpha.invoice.id;
    }
    return (
      (
        { name: 'default', number: 'A-D1', key: 'relance1', language: 'fr', kind: 'invoices' } as Record<string, string>
      )[name] ?? 'x'
    );
  });
}

async function fingerprint(): Promise<string> {
  const present = new Set(
    (await rawQuery<{ name: string }>(f.store.db, "select name from sqlite_master where type = 'table'")).map(
      (r) => r.name,
    ),
  );
  const tables = TABLES.filter((t) => present.has(t));
  const counts = await rawQuery(
    f.store.db,
    tables.map((t) => `select '${t}' as t, count(*) as n from ${t}`).join(' union all '),
  );
  const changed = await rawQuery(
    f.store.db,
    `select (select max(updated_at) from invoices) as i, (select max(updated_at) from customers) as c`,
  );
  return JSON.stringify([counts, changed]);
}

describe('API bodies under fuzzing (fast-check)', () => {
  it('every JSON write route: no 500, refusals are problem+json with a code, and a refusal writes nothing', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const seen: Record<string, number> = {};
    for (const op of operations) {
      const url = concrete(op.path);
      await fc.assert(
        fc.asyncProperty(body(op.fields), async (payload) => {
          const before = await fingerprint();
          const reply = await call(f.app, f.tokens.admin, op.method, url, payload);
          const where = `${op.method} ${op.path} ${JSON.stringify(payload).slice(0, 300)} → ${reply.status} ${reply.raw.slice(0, 300)}`;
          seen[String(reply.status)] = (seen[String(reply.status)] ?? 0) + 1;
          expect(reply.status, where).toBeLessThan(500);
          if (reply.status >= 400) {
            expect(String(reply.headers['content-type']), where).toContain('application/problem+json');
            expect(reply.body?.code, where).toMatch(/^[a-z_]+$/);
            expect(reply.raw, where).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
            expect(await fingerprint(), where).toBe(before);
          }
        }),
        { numRuns: 25, seed: 20261125 },
      );
    }
    console.info(`api fuzz: ${operations.length} write routes × 25 bodies, statuses ${JSON.stringify(seen)}`);
  }, 600_000);
});
