import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAuth } from '../../src/http/auth.ts';
import { zodApi } from '../../src/http/context.ts';
import { errorHandler } from '../../src/http/problem.ts';
import { integrationRoutes } from '../../src/http/routes/integrations.ts';
import { call, fixture, type Fixture } from '../http/support.ts';
import { generateEInvoice } from './support/einvoice-samples.ts';
import { camt053 } from './support/camt.ts';

function multipart(files: { name: string; content: Uint8Array | string }[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = 'relance-test-boundary';
  const parts = files.flatMap((f) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(f.content),
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * The API's own set-up (zod schemas, problem+json errors, authentication, one file per multipart upload as in
 * app.ts) with the integration routes, on the ledger, users and tokens of the route tests' fixture.
 */
async function appWithIntegrations(f: Fixture): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorate('db', f.store.db);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 10 } });
  registerAuth(app);
  integrationRoutes(zodApi(app));
  await app.ready();
  return app;
}

describe('integrations over HTTP', () => {
  let f: Fixture;
  let app: FastifyInstance;
  beforeAll(async () => {
    f = await fixture('sqlite');
    app = await appWithIntegrations(f);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });

  const upload = (token: string, url: string, files: { name: string; content: Uint8Array | string }[]) => {
    const body = multipart(files);
    return app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...body.headers },
      payload: body.payload,
    });
  };

  it('imports e-invoices for an admin only, and names a bad file', async () => {
    const pdf = await generateEInvoice(
      {
        number: 'E-1',
        issueDate: '2025-01-10',
        dueDate: '2025-02-09',
        net: '100.00',
        vat: '20.00',
        total: '120.00',
        due: '120.00',
        buyer: { name: 'Nouveau client', siren: '552100554' },
      },
      'factur-x',
    );
    expect(
      (await upload(f.tokens.viewer, '/api/v1/integrations/einvoices', [{ name: 'E-1.pdf', content: pdf }])).statusCode,
    ).toBe(403);
    const bad = await upload(f.tokens.admin, '/api/v1/integrations/einvoices', [{ name: 'x.xml', content: '<x' }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      {
        field: 'x.xml',
        reason: expect.stringMatching(/^not well-formed XML/),
        code: 'reason.xmlSyntax',
        params: { line: expect.any(Number), detail: expect.any(String) },
        // Said in the reader's language (French unless the request asks for English).
        message: expect.stringMatching(/^x\.xml : XML mal formé, ligne 1/),
      },
    ]);
    const good = await upload(f.tokens.admin, '/api/v1/integrations/einvoices', [{ name: 'E-1.pdf', content: pdf }]);
    expect(good.statusCode).toBe(200);
    expect(good.json().invoices).toMatchObject([
      { invoice: 'E-1', action: 'created', customer: '552100554', pdfKept: true },
    ]);
  });

  it("imports several e-invoices of one request, all or nothing, with each file's outcome", async () => {
    const sample = (number: string) => ({
      number,
      issueDate: '2025-01-10',
      dueDate: '2025-02-09',
      net: '100.00',
      vat: '20.00',
      total: '120.00',
      due: '120.00',
      buyer: { name: 'Client multiple', siren: '732829320', email: 'compta@multiple.fr' },
    });
    const files = [
      { name: 'M-1.pdf', content: await generateEInvoice(sample('M-1'), 'factur-x') },
      { name: 'M-2.xml', content: await generateEInvoice(sample('M-2'), 'ubl') },
      { name: 'M-3.xml', content: await generateEInvoice(sample('M-3'), 'cii') },
      {
        name: 'M-2.xml',
        content: '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>M-4</ID></Invoice>',
      },
      { name: 'notes.txt', content: 'bonjour' },
    ];
    const imported = async () =>
      (
        await f.store.db
          .selectFrom('invoices')
          .select('number')
          .where('number', 'like', 'M-%')
          .orderBy('number')
          .execute()
      ).map((i) => i.number);
    const refused = await upload(f.tokens.admin, '/api/v1/integrations/einvoices', files);
    expect(refused.statusCode).toBe(422);
    // Each bad file is named (a second file of the same name gets a suffix); the good ones are not written.
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['M-2.xml (2)', 'notes.txt']);
    expect(await imported()).toEqual([]);

    const partial = await upload(f.tokens.admin, '/api/v1/integrations/einvoices?skipInvalid=true', files);
    expect(partial.statusCode).toBe(200);
    expect(
      partial
        .json()
        .files.map((o: { file: string; outcome: string; invoices: string[] }) => [o.file, o.outcome, o.invoices]),
    ).toEqual([
      ['M-1.pdf', 'imported', ['M-1']],
      ['M-2.xml', 'imported', ['M-2']],
      ['M-3.xml', 'imported', ['M-3']],
      ['M-2.xml (2)', 'rejected', []],
      ['notes.txt', 'rejected', []],
    ]);
    expect(partial.json().files[4].reasons).toEqual([expect.stringContaining('notes.txt')]);
    expect(await imported()).toEqual(['M-1', 'M-2', 'M-3']);
  });

  it('imports a statement with an unreadable line only when asked to leave it out', async () => {
    const csv = 'Date;Libellé;Montant\n02/03/2025;VIR INCONNU;42,00\n31/02/2025;VIR AUTRE;10,00\n';
    const refused = await upload(f.tokens.admin, '/api/v1/integrations/bank-statements', [
      { name: 'releve.csv', content: csv },
    ]);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      {
        line: 3,
        field: 'Date',
        reason: expect.any(String),
        code: expect.stringMatching(/^parse\./),
        params: expect.any(Object),
        message: "Date : « 31/02/2025 » n'existe pas dans le calendrier",
      },
    ]);
    const imported = await upload(f.tokens.admin, '/api/v1/integrations/bank-statements?skipInvalid=1', [
      { name: 'releve.csv', content: csv },
    ]);
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({
      format: 'csv',
      lines: 1,
      unmatched: 1,
      skipped: [{ line: 3, field: 'Date' }],
    });
    const lines = await call(app, f.tokens.collector, 'GET', '/api/v1/bank-lines');
    const left = lines.body.items.find((l: { amount: number }) => l.amount === 4_200) as { id: string };
    expect((await call(app, f.tokens.collector, 'POST', `/api/v1/bank-lines/${left.id}/ignore`)).status).toBe(200);
  });

  it("imports a statement and lets a collector match what was left, within its représentant's customers", async () => {
    const statement = camt053([
      { amount: '150.00', sign: 'CRDT', date: '2025-03-01', txs: [{ debtor: 'SOMEONE', ustrd: 'paiement' }] },
    ]);
    const imported = await upload(f.tokens.admin, '/api/v1/integrations/bank-statements', [
      { name: 'releve.xml', content: statement },
    ]);
    expect(imported.json()).toMatchObject({ format: 'camt.053', matched: 0, unmatched: 1 });
    const lines = await call(app, f.tokens.collector, 'GET', '/api/v1/bank-lines');
    expect(lines.body.items.map((l: { amount: number }) => l.amount)).toEqual([15_000]);
    const id = lines.body.items[0].id as string;
    // Marie's collector cannot settle Paul's invoice.
    expect(
      (await call(app, f.tokens.restricted, 'POST', `/api/v1/bank-lines/${id}/match`, { invoices: ['A-F2'] })).status,
    ).toBe(404);
    const matched = await call(app, f.tokens.collector, 'POST', `/api/v1/bank-lines/${id}/match`, {
      invoices: ['A-F3'],
    });
    expect(matched.status).toBe(200);
    const [paid] = await f.store.db
      .selectFrom('invoices')
      .select(['total', 'allocated'])
      .where('number', '=', 'A-F3')
      .execute();
    expect(paid).toEqual({ total: 50_000, allocated: 15_000 });
    expect((await call(app, f.tokens.collector, 'GET', '/api/v1/bank-lines')).body.items).toEqual([]);
    // The matched list says what each credit paid, and a viewer may read it (but not act: see above).
    const done = await call(app, f.tokens.viewer, 'GET', '/api/v1/bank-lines?status=matched');
    expect(done.status).toBe(200);
    expect(done.body.items).toMatchObject([{ id, amount: 15_000, status: 'matched', invoices: ['A-F3'] }]);
    expect((await call(app, f.tokens.viewer, 'POST', `/api/v1/bank-lines/${id}/ignore`)).status).toBe(403);
    expect((await call(app, f.tokens.collector, 'POST', `/api/v1/bank-lines/${id}/ignore`)).status).toBe(404);
    // Another company's admin sees none of it.
    expect((await call(app, f.tokens.betaAdmin, 'GET', '/api/v1/bank-lines?status=matched')).body.items).toEqual([]);
  });

  it('shows the follow-ups of a day without queuing them', async () => {
    const plan = await call(app, f.tokens.viewer, 'GET', '/api/v1/follow-ups?date=2025-01-28');
    expect(plan.status).toBe(200);
    expect(plan.body.quotes.map((q: { number: string; status: string }) => [q.number, q.status])).toEqual([
      ['A-D1', 'would_send'],
    ]);
  });
});
