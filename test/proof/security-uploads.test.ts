import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { rawQuery } from '../../src/storage/database.ts';
import { call, fixture, loginSession, type Fixture } from '../http/support.ts';
import { dialects } from '../support/stores.ts';
import { deeplyNested } from './support/hostile-files.ts';

/**
 * CSV and bank-statement uploads are decoded and parsed in the upload thread: a hostile file costs that thread
 * its time and memory, and the one answering everybody else stays free.
 */
function multipart(name: string, content: Uint8Array | string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'relance-upload-boundary';
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const ROW_LIMIT = 20_000;

describe.each(dialects)('hostile CSV and bank uploads on %s', (dialect) => {
  let f: Fixture;
  let app: FastifyInstance;
  let viewerCookie: string;
  beforeAll(async () => {
    f = await fixture(dialect);
    app = await buildApp({ db: f.store.db, inputLimits: { maxCsvRows: ROW_LIMIT } });
    viewerCookie = (await loginSession(app, f.emails.viewer)).cookie;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });

  /**
   * The upload's answer, and how many of another user's `GET /session` were answered while it was being read. Parsing
   * runs in the upload thread: a parse on the event loop would leave no room for them. Counted, not timed: a timed
   * bound fails on a busy machine without saying anything about the code.
   */
  async function whileUploading(url: string, name: string, content: string) {
    const body = multipart(name, content);
    const pending = app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${f.tokens.admin}`, ...body.headers },
      payload: body.payload,
    });
    let done = false;
    void pending.then(() => {
      done = true;
    });
    // Taking in the multipart body is ordinary upload work, done before the file is read.
    await new Promise((resolve) => setTimeout(resolve, 50));
    let answeredDuringUpload = 0;
    while (!done) {
      const me = await call(app, null, 'GET', '/api/v1/session', undefined, { cookie: viewerCookie });
      expect(me.status).toBe(200);
      if (!done) answeredDuringUpload += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { reply: await pending, answeredDuringUpload };
  }

  it("a CSV import over the row limit is refused with it, while another user's GET /session keeps being answered", async () => {
    const rows = Array.from({ length: ROW_LIMIT * 3 }, (_, i) => `H${i};Client ${i};company;c${i}@example.test`);
    const { reply, answeredDuringUpload } = await whileUploading(
      '/api/v1/import/customers',
      'many.csv',
      `code;name;kind;email\n${rows.join('\n')}\n`,
    );
    expect(reply.statusCode, reply.body).toBe(422);
    expect(JSON.parse(reply.body).issues[0]).toMatchObject({
      field: '(file)',
      reason: `more than ${ROW_LIMIT} rows (the limit for one file)`,
    });
    expect(answeredDuringUpload).toBeGreaterThan(2);
    expect(await rawQuery(f.store.db, "select count(*) as n from customers where code = 'H1'")).toEqual([{ n: 0 }]);
  }, 120_000);

  it("a bank CSV over the line limit is refused with it, while another user's GET /session keeps being answered", async () => {
    const lines = Array.from({ length: ROW_LIMIT + 1_000 }, (_, i) => `01/03/2026;Virement ${i};${(i % 900) + 1},00`);
    const { reply, answeredDuringUpload } = await whileUploading(
      '/api/v1/integrations/bank-statements',
      'releve.csv',
      `Date;Libellé;Montant\n${lines.join('\n')}\n`,
    );
    expect(reply.statusCode, reply.body).toBe(422);
    expect(JSON.parse(reply.body).errors[0]).toMatchObject({
      field: 'file',
      reason: `too many lines (the limit for one file is ${ROW_LIMIT})`,
    });
    expect(answeredDuringUpload).toBeGreaterThan(2);
    expect(await rawQuery(f.store.db, "select count(*) as n from bank_lines where file_name = 'releve.csv'")).toEqual([
      { n: 0 },
    ]);
  }, 120_000);

  it('a CAMT.053 statement nested 100,000 deep or with a DOCTYPE is refused naming the file, never a 500', async () => {
    const camt =
      '<?xml version="1.0"?><!--' +
      'x'.repeat(5000) +
      '--><!DOCTYPE Document [<!ENTITY e "X">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>';
    for (const [name, content, reason] of [
      ['deep.xml', deeplyNested(100_000), /nested deeper/],
      ['doctype.xml', camt, /document type declaration/],
    ] as const) {
      const { reply } = await whileUploading('/api/v1/integrations/bank-statements', name, content);
      expect(reply.statusCode, reply.body).toBe(422);
      expect(JSON.parse(reply.body).detail).toContain(name);
      expect(JSON.parse(reply.body).detail).toMatch(reason);
    }
  });

  it("the upload thread's time limit holds for CSV and bank files too", async () => {
    const strict = await buildApp({ db: f.store.db, inputLimits: { uploadSeconds: 0.001 } });
    try {
      for (const [url, name, content] of [
        ['/api/v1/import/customers', 'slow.csv', 'code;name;kind;email\nS1;Slow;company;s@example.test\n'],
        ['/api/v1/integrations/bank-statements', 'slow-bank.csv', 'Date;Libellé;Montant\n01/03/2026;X;1,00\n'],
      ]) {
        const body = multipart(name!, content!);
        const reply = await strict.inject({
          method: 'POST',
          url: url!,
          headers: { authorization: `Bearer ${f.tokens.admin}`, ...body.headers },
          payload: body.payload,
        });
        expect(reply.statusCode, reply.body).toBe(422);
        expect(JSON.parse(reply.body).detail).toMatch(new RegExp(`${name}: reading it took longer than 0.001 s`));
      }
    } finally {
      await strict.close();
    }
  });

  it("a CSV whose reading needs more than the upload thread's heap is refused with that limit", async () => {
    const small = await buildApp({ db: f.store.db, inputLimits: { uploadMemoryMb: 48 } });
    try {
      // Quoted cells: an unquoted file is kept as its own text and read in place, which needs far less memory.
      const rows = Array.from({ length: 400_000 }, (_, i) => `M${i};"Client ${i}";company;m${i}@example.test`);
      const body = multipart('heavy.csv', `code;name;kind;email\n${rows.join('\n')}\n`);
      const reply = await small.inject({
        method: 'POST',
        url: '/api/v1/import/customers',
        headers: { authorization: `Bearer ${f.tokens.admin}`, ...body.headers },
        payload: body.payload,
      });
      expect(reply.statusCode, reply.body.slice(0, 300)).toBe(422);
      expect(JSON.parse(reply.body).detail).toMatch(/heavy\.csv: reading it needs more than 48 MiB of memory/);
      // The server goes on: the next upload gets a fresh thread.
      const next = multipart('ok.csv', 'code;name;kind;email\nOK1;Client;company;ok1@example.test\n');
      const fine = await small.inject({
        method: 'POST',
        url: '/api/v1/import/customers?dryRun=true',
        headers: { authorization: `Bearer ${f.tokens.admin}`, ...next.headers },
        payload: next.payload,
      });
      expect(fine.statusCode, fine.body.slice(0, 300)).toBe(200);
    } finally {
      await small.close();
    }
  }, 120_000);

  it('a bank statement over the size limit is refused before it is read', async () => {
    const small = await buildApp({ db: f.store.db, inputLimits: { maxCsvBytes: 2000 } });
    try {
      const body = multipart('big.csv', `Date;Libellé;Montant\n${'01/03/2026;X;1,00\n'.repeat(500)}`);
      const reply = await small.inject({
        method: 'POST',
        url: '/api/v1/integrations/bank-statements',
        headers: { authorization: `Bearer ${f.tokens.admin}`, ...body.headers },
        payload: body.payload,
      });
      expect(reply.statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });
});
