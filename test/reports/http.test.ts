import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, type Fixture } from '../http/support.ts';
import { dialects } from '../support/stores.ts';

describe.each(dialects)('report routes on %s', (dialect) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  it("gives the aged balance on a date, scoped to the restricted collector's customers", async () => {
    const admin = await call(f.app, f.tokens.admin, 'GET', '/api/v1/reports/aging?date=2025-06-01');
    expect(admin.status).toBe(200);
    expect(admin.body.buckets.map((b: { key: string }) => b.key)).toEqual(['notDue', '1-30', '31-60', '61-90', '91+']);
    // AM: A-F1 120 000 less the 20 000 of 02-10, A-F3 50 000; AP: A-F2 120 000; all more than 90 days late.
    expect(
      admin.body.rows.map((r: { customerCode: string; balance: number; count: number }) => [
        r.customerCode,
        r.balance,
        r.count,
      ]),
    ).toEqual([
      ['AM', 150_000, 2],
      ['AP', 120_000, 1],
    ]);
    expect(admin.body.totals).toEqual([
      {
        currency: 'EUR',
        count: 3,
        balance: 270_000,
        buckets: [
          { count: 0, balance: 0 },
          { count: 0, balance: 0 },
          { count: 0, balance: 0 },
          { count: 0, balance: 0 },
          { count: 3, balance: 270_000 },
        ],
      },
    ]);
    const before = await call(
      f.app,
      f.tokens.viewer,
      'GET',
      '/api/v1/reports/aging?date=2025-02-05&buckets=15&customer=AM',
    );
    expect(before.body.rows[0].buckets).toEqual([
      { count: 1, balance: 50_000 },
      { count: 1, balance: 120_000 },
      { count: 0, balance: 0 },
    ]);
    const restricted = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/reports/aging?date=2025-06-01');
    expect(restricted.body.rows.map((r: { customerCode: string }) => r.customerCode)).toEqual(['AM']);
    const kpis = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/reports/kpis?date=2025-06-01&months=2');
    expect(kpis.status).toBe(200);
    expect(kpis.body.dso.receivables).toBe(150_000);
  });

  it('gives the dashboard figures of a date: aged balance, overdue, receivable and DSO, scoped like the rest', async () => {
    // Alpha: A-F1 (Marie) 120 000 less 20 000 paid and A-F2 (Paul) 120 000, both due 01-31; A-F3 (Marie) 50 000 due 03-01.
    const admin = await call(f.app, f.tokens.admin, 'GET', '/api/v1/dashboard?asOf=2025-02-15');
    expect(admin.status).toBe(200);
    const buckets = (body: { aging: { bucket: string; count: number; balance: number }[] }) =>
      Object.fromEntries(body.aging.filter((b) => b.count > 0).map((b) => [b.bucket, [b.count, b.balance]]));
    expect(buckets(admin.body)).toEqual({ notDue: [1, 50_000], d1_30: [2, 220_000] });
    expect(admin.body).toMatchObject({ currency: 'EUR', receivable: 270_000, overdue: { count: 2, balance: 220_000 } });
    // Count-back, as the KPI report: nothing invoiced from 01-16 to 02-15 (31 days), then 270 000 of the 290 000
    // invoiced on 01-01 covers 27/29 of the 31 days before: 31 + 28.86 = 59.9 days.
    expect(admin.body.dso).toBe(59.9);
    const kpis = await call(f.app, f.tokens.admin, 'GET', '/api/v1/reports/kpis?date=2025-02-15&months=1');
    expect(kpis.body.dso.days).toBe(59.9);
    const marie = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/dashboard?asOf=2025-02-15');
    expect(buckets(marie.body)).toEqual({ notDue: [1, 50_000], d1_30: [1, 100_000] });
    expect(marie.body).toMatchObject({ receivable: 150_000, dso: 58.4 });
    // Nothing invoiced in the 24 months before: the count-back runs out, and the dashboard shows no DSO.
    const before = await call(f.app, f.tokens.admin, 'GET', '/api/v1/dashboard?asOf=2024-12-31');
    expect(before.body).toMatchObject({ receivable: 270_000, dso: null });
  });

  it('refuses malformed buckets with a problem naming the parameter', async () => {
    const reply = await call(f.app, f.tokens.admin, 'GET', '/api/v1/reports/aging?buckets=60,30');
    expect(reply.status).toBe(422);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        field: 'querystring.buckets',
        reason: expect.stringMatching(/increase/),
        code: expect.any(String),
      }),
    ]);
    const format = await call(f.app, f.tokens.admin, 'GET', '/api/v1/reports/aging/export?format=doc');
    expect(format.status).toBe(422);
    expect(format.body.errors.map((e: { field: string }) => e.field)).toEqual(['querystring.format']);
  });

  it('exports a report as CSV, XLSX or PDF with a file name', async () => {
    const csv = await f.app.inject({
      method: 'GET',
      url: '/api/v1/reports/aging/export?format=csv&date=2025-06-01',
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="balance-agee-2025-06-01.csv"');
    expect(csv.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(csv.body).toContain('AM;Alpha Marie client;Marie;EUR;0,00;0;');
    for (const [report, format, magic] of [
      ['reminders', 'xlsx', 'PK'],
      ['kpis', 'pdf', '%PDF'],
    ] as const) {
      const reply = await f.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${report}/export?format=${format}&date=2025-06-01`,
        headers: { authorization: `Bearer ${f.tokens.viewer}` },
      });
      expect(reply.statusCode, reply.body.slice(0, 200)).toBe(200);
      expect(reply.rawPayload.subarray(0, magic.length).toString()).toBe(magic);
    }
  });
});
