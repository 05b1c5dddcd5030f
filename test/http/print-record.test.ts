import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../mail/support/fixtures.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

/** "PDF imprimable": a preview records nothing; "imprimer et enregistrer" records the letters as posted, once. */
describe.each(dialects)('printed reminders on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    delete process.env.RELANCE_SMTP_URL;
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  const pdf = async (method: 'GET' | 'POST', url: string, body?: object) => {
    const response = await f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${f.tokens.collector}` },
      ...(body ? { payload: body } : {}),
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const bytes = response.rawPayload;
    return { text: await pdfText(bytes), pages: (await PDFDocument.load(bytes)).getPageCount() };
  };
  const history = async () =>
    (await call(f.app, f.tokens.collector, 'GET', '/api/v1/reminders?invoice=A-F1')).body.items as {
      level: number;
      channel: string;
      sentOn: string;
    }[];

  it('prints a preview without recording, then prints and records the letters as sent by post, with the invoice copies', async () => {
    const ids = [f.alpha.invoice.id];
    const preview = await pdf('POST', '/api/v1/documents/letters', { invoiceIds: ids });
    expect(preview.text).toContain('A-F1');
    expect(await history()).toEqual([]);

    const recorded = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', {
      invoiceIds: ids,
      emailsAs: 'letter',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ reminders: 1, letters: 1, emails: 0 });
    const runId = recorded.body.run.id as string;
    const letters = await pdf('GET', `/api/v1/runs/${runId}/letters`);
    const withCopies = await pdf('GET', `/api/v1/runs/${runId}/letters?copies=true`);
    expect(letters.text).toContain('A-F1');
    expect(letters.text).not.toMatch(/Total à régler.*Total à régler/s);
    // The copy of the invoice (its stored PDF) follows its letter.
    expect(withCopies.pages).toBeGreaterThan(letters.pages);

    // Recorded as a letter on that date, at the invoice's level: counted as sent, and never printed twice.
    const [reminder, ...rest] = await history();
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({ channel: 'letter', sentOn: recorded.body.run.date });
    const again = await call(f.app, f.tokens.collector, 'POST', '/api/v1/reminders/send', {
      invoiceIds: ids,
      emailsAs: 'letter',
    });
    expect(again.body.reminders).toBe(0);
    expect(await history()).toHaveLength(1);
  });
});
