import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '../../src/storage/database.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { dialects } from '../support/stores.ts';

/** A customer's or contact's address with a line break would add a header (Bcc: …) to every reminder sent to it. */
const INJECTED = 'compta@client.example\r\nBcc: victim@evil.test';

describe.each(dialects)('e-mail addresses with a line break on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(dialect);
  }, 120_000);
  afterAll(async () => f?.dispose());

  it('a contact added or changed through the API with CR/LF in its address is refused naming the field', async () => {
    const base = `/api/v1/customers/${f.alpha.marie.id}/contacts`;
    const added = await call(f.app, f.tokens.admin, 'POST', base, { email: INJECTED });
    expect(added.status, added.raw).toBe(422);
    expect(added.body.errors[0].field).toBe('body.email');
    const good = await call(f.app, f.tokens.admin, 'POST', base, { email: 'achats@client.example' });
    expect(good.status, good.raw).toBe(201);
    for (const email of [INJECTED, 'a@b.example\nX-Injected: 1', 'a@b.example\u2028b@c.example', 'a..b@c.example']) {
      const changed = await call(f.app, f.tokens.admin, 'PATCH', `${base}/${good.body.id}`, { email });
      expect(changed.status, `${JSON.stringify(email)}: ${changed.raw}`).toBe(422);
      expect(changed.body.errors[0].field).toBe('body.email');
    }
  });

  it('a CSV import with a line break in a quoted e-mail cell is refused with line and field, nothing written', async () => {
    const csv = `code;name;kind;email\nINJ;Injecté SA;company;"${INJECTED}"\n`;
    const boundary = 'relance-address-boundary';
    const reply = await f.app.inject({
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: {
        authorization: `Bearer ${f.tokens.admin}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clients.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(reply.statusCode, reply.body).toBe(422);
    const issues = JSON.parse(reply.body).issues as { line: number; field: string; reason: string }[];
    expect(issues[0]).toMatchObject({ line: 2, field: 'email', reason: 'a line break among the e-mail addresses' });
    expect(await rawQuery(f.store.db, "select count(*) as n from customers where code = 'INJ'")).toEqual([{ n: 0 }]);
    expect(await rawQuery(f.store.db, "select count(*) as n from contacts where email like '%evil%'")).toEqual([
      { n: 0 },
    ]);
  });
});
