import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, type Fetch } from '../../src/webhooks/dispatcher.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';

function multipart(name: string, content: string): { payload: string; headers: Record<string, string> } {
  const boundary = '----relance-test';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  };
}

describe.each(dialects)('API routes on %s', (dialect) => {
  let f: Fixture;
  let admin: (method: string, url: string, body?: unknown) => ReturnType<typeof call>;
  beforeAll(async () => {
    f = await fixture(dialect);
    admin = (method, url, body) => call(f.app, f.tokens.admin, method as never, url, body);
  });
  let sink: Sink | undefined;
  afterAll(async () => {
    await sink?.close();
    await f.dispose();
  });

  it('customers: create, page through by code with a cursor, search, read with contacts, change, add a contact, hold', async () => {
    for (const code of ['C1', 'C2', 'C3'])
      expect((await admin('POST', '/api/v1/customers', { code, name: `Électricité ${code}` })).status).toBe(201);
    const first = await admin('GET', '/api/v1/customers?limit=2');
    expect(first.body.items.map((c: { code: string }) => c.code)).toEqual(['AM', 'AP']);
    const second = await admin('GET', `/api/v1/customers?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { code: string }) => c.code)).toEqual(['C1', 'C2']);
    expect(
      (await admin('GET', '/api/v1/customers?q=électricité%20c3')).body.items.map((c: { code: string }) => c.code),
    ).toEqual(['C3']);
    const detail = await admin('GET', `/api/v1/customers/${f.alpha.marie.id}`);
    expect(detail.body).toMatchObject({
      code: 'AM',
      salesRep: 'Marie',
      contacts: [{ email: 'compta@am.example', isPrimary: true }],
      dunning: { policy: null, pausedUntil: null, blockedReason: null, law: null },
    });
    expect(
      (await admin('PATCH', `/api/v1/customers/${f.alpha.marie.id}`, { notes: 'Appeler le lundi' })).body.notes,
    ).toBe('Appeler le lundi');
    const contact = await admin('POST', `/api/v1/customers/${f.alpha.marie.id}/contacts`, {
      name: 'DAF',
      email: 'daf@am.example',
      isPrimary: true,
    });
    expect(contact.status).toBe(201);
    const contacts = await admin('GET', `/api/v1/customers/${f.alpha.marie.id}/contacts`);
    expect(contacts.body.items.map((c: { email: string; isPrimary: boolean }) => [c.email, c.isPrimary])).toEqual([
      ['daf@am.example', true],
      ['compta@am.example', false],
    ]);
    const hold = await admin('PUT', `/api/v1/customers/${f.alpha.paul.id}/hold`, {
      pausedUntil: '2025-12-31',
      blockedReason: 'Litige',
    });
    expect(hold.body).toEqual({ policy: null, pausedUntil: '2025-12-31', blockedReason: 'Litige', law: null });
    // A contract that chose German law: the customer carries it; an unknown law is refused.
    expect((await admin('PUT', `/api/v1/customers/${f.alpha.paul.id}/hold`, { law: 'DE' })).body).toMatchObject({
      law: 'DE',
    });
    expect((await admin('PUT', `/api/v1/customers/${f.alpha.paul.id}/hold`, { law: 'XX' })).status).toBe(422);
  });

  it('invoices: filters, keyset pages by number and by due date, totals of the filter, detail', async () => {
    const open = await admin('GET', '/api/v1/invoices?status=open&limit=2&asOf=2025-06-01');
    expect(open.body.items.map((i: { number: string }) => i.number)).toEqual(['A-F1', 'A-F2']);
    expect(open.body.items[0]).toMatchObject({
      balance: 100_000,
      daysOverdue: 121,
      customerCode: 'AM',
      customerName: 'Alpha Marie client',
    });
    const rest = await admin(
      'GET',
      `/api/v1/invoices?status=open&limit=2&asOf=2025-06-01&cursor=${open.body.nextCursor}`,
    );
    expect(rest.body).toEqual({ items: [expect.objectContaining({ number: 'A-F3' })], nextCursor: null });
    const byDue = await admin('GET', '/api/v1/invoices?sort=dueDate&limit=1&dueFrom=2025-01-01&dueTo=2025-12-31');
    const byDue2 = await admin(
      'GET',
      `/api/v1/invoices?sort=dueDate&limit=5&dueFrom=2025-01-01&dueTo=2025-12-31&cursor=${byDue.body.nextCursor}`,
    );
    expect([...byDue.body.items, ...byDue2.body.items].map((i: { dueDate: string }) => i.dueDate)).toEqual([
      '2025-01-31',
      '2025-01-31',
      '2025-03-01',
    ]);
    expect(
      (await admin('GET', '/api/v1/invoices?salesRep=Paul')).body.items.map((i: { number: string }) => i.number),
    ).toEqual(['A-F2']);
    expect(
      (await admin('GET', '/api/v1/invoices?customer=AP')).body.items.map((i: { number: string }) => i.number),
    ).toEqual(['A-F2']);
    expect((await admin('GET', '/api/v1/invoices?q=a-f3')).body.items.map((i: { number: string }) => i.number)).toEqual(
      ['A-F3'],
    );
    expect((await admin('GET', '/api/v1/invoices?status=paid')).body.items).toEqual([]);
    // By balance, as the bank screen asks for the invoices a credit of that amount may pay (A-F1: 120 000 less 20 000).
    const numbers = (reply: { body: { items: { number: string }[] } }) => reply.body.items.map((i) => i.number);
    expect(numbers(await admin('GET', '/api/v1/invoices?status=open&balance=100000'))).toEqual(['A-F1']);
    expect(numbers(await admin('GET', '/api/v1/invoices?status=open&balance=120000'))).toEqual(['A-F2']);
    expect(numbers(await admin('GET', '/api/v1/invoices?status=open&balance=120001'))).toEqual([]);
    expect((await admin('GET', '/api/v1/invoices?balance=0')).status).toBe(422);
    const totals = await admin('GET', '/api/v1/invoices/totals?customer=AM');
    expect(totals.body.totals).toEqual([
      { currency: 'EUR', count: 2, totalExclTax: 141_667, total: 170_000, balance: 150_000 },
    ]);
    const detail = await admin('GET', `/api/v1/invoices/${f.alpha.invoice.id}`);
    expect(detail.body).toMatchObject({
      number: 'A-F1',
      balance: 100_000,
      hasPdf: false,
      schedule: null,
      reminders: [],
      allocations: [{ kind: 'payment', amount: 20_000, label: 'transfer A-VIR' }],
    });
    expect((await admin('GET', `/api/v1/invoices/${f.alpha.invoice.id}/pdf`)).status).toBe(404);
  });

  it('invoices: create, dispute, promise, schedule and cancel, each in the audit log', async () => {
    const created = await admin('POST', '/api/v1/invoices', {
      number: 'A-F9',
      customerId: f.alpha.paul.id,
      issueDate: '2025-05-01',
      dueDate: '2025-05-31',
      total: 30_000,
    });
    expect(created.body).toMatchObject({ number: 'A-F9', salesRep: 'Paul', status: 'issued' });
    const id = created.body.id;
    expect(
      (await admin('PUT', `/api/v1/invoices/${id}/dispute`, { reason: 'Livraison incomplète' })).body,
    ).toMatchObject({ disputed: true, disputeReason: 'Livraison incomplète' });
    expect((await admin('PUT', `/api/v1/invoices/${id}/promise`, { date: '2025-07-15' })).body.promiseToPayDate).toBe(
      '2025-07-15',
    );
    const schedule = await admin('PUT', `/api/v1/invoices/${id}/schedule`, {
      instalments: [
        { seq: 1, dueDate: '2025-06-30', amount: 10_000 },
        { seq: 2, dueDate: '2025-07-31', amount: 20_000 },
      ],
    });
    expect(schedule.status).toBe(200);
    expect((await admin('GET', `/api/v1/invoices/${id}`)).body.schedule.instalments).toHaveLength(2);
    expect((await admin('PUT', `/api/v1/invoices/${id}/cancel`, {})).body.status).toBe('cancelled');
    const audit = await admin('GET', '/api/v1/audit?limit=5');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'invoice.cancelled',
      'invoice.schedule',
      'invoice.promise',
      'invoice.dispute',
      'invoice.created',
    ]);
    expect(audit.body.items[0]).toMatchObject({ actor: 'admin@example.test (API token)', target: 'A-F9' });
  });

  it('payments, credit notes and incoming payments settle invoices once and queue invoice.paid', async () => {
    const hook = await admin('POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.test/relance',
      events: ['invoice.paid', 'reminder.sent'],
    });
    expect(hook.body.secret).toMatch(/^whsec_/);
    const note = await admin('POST', '/api/v1/credit-notes', {
      number: 'AV1',
      customerId: f.alpha.marie.id,
      date: '2025-04-01',
      total: 10_000,
      allocations: [{ invoiceId: f.alpha.invoice.id, amount: 10_000 }],
    });
    expect(note.status).toBe(201);
    const push = { invoice: 'A-F1', amount: 90_000, date: '2025-04-02', reference: 'VIR-2025-0042' };
    const first = await call(f.app, f.tokens.collector, 'POST', '/api/v1/incoming/payments', push);
    expect(first.body).toMatchObject({
      duplicate: false,
      payment: { amount: 90_000, method: 'transfer', reference: 'VIR-2025-0042' },
    });
    const again = await call(f.app, f.tokens.collector, 'POST', '/api/v1/incoming/payments', push);
    expect(again.body).toMatchObject({ duplicate: true, payment: { id: first.body.payment.id } });
    expect((await admin('GET', `/api/v1/invoices/${f.alpha.invoice.id}`)).body.balance).toBe(0);
    const payment = await admin('POST', '/api/v1/payments', {
      customerId: f.alpha.marie.id,
      date: '2025-04-03',
      amount: 60_000,
      method: 'cheque',
      allocations: [{ invoiceId: (await admin('GET', '/api/v1/invoices?q=A-F3')).body.items[0].id, amount: 50_000 }],
    });
    expect(payment.status).toBe(201);
    const payments = await admin('GET', `/api/v1/payments?customerId=${f.alpha.marie.id}`);
    expect(payments.body.items.find((p: { id: string }) => p.id === payment.body.id).unallocated).toBe(10_000);
    expect((await admin('GET', '/api/v1/credit-notes')).body.items.map((n: { number: string }) => n.number)).toEqual([
      'AV1',
    ]);
    const deliveries = await admin('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`);
    expect(deliveries.body.items.map((d: { event: string; status: string }) => [d.event, d.status])).toEqual([
      ['invoice.paid', 'pending'],
      ['invoice.paid', 'pending'],
    ]);
    expect((await admin('DELETE', `/api/v1/payments/${payment.body.id}`)).status).toBe(200);
    expect((await admin('GET', '/api/v1/invoices?q=A-F3')).body.items[0].balance).toBe(50_000);
  });

  it('delivers webhooks signed with HMAC-SHA256 and retries failures later', async () => {
    const hooks = await admin('GET', '/api/v1/webhooks');
    const hook = hooks.body.items[0];
    const received: { headers: Record<string, string>; body: string }[] = [];
    let status = 500;
    const fetch: Fetch = async (_url, init) => {
      received.push({ headers: init.headers, body: init.body });
      return { status };
    };
    expect(await deliverDue(f.store.db, { fetch })).toBe(2);
    let listed = await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(
      listed.body.items.every(
        (d: { status: string; attempts: number; lastError: string }) =>
          d.status === 'pending' && d.attempts === 1 && d.lastError === 'HTTP 500',
      ),
    ).toBe(true);
    expect(await deliverDue(f.store.db, { fetch })).toBe(0); // not due again before a minute
    status = 204;
    expect(await deliverDue(f.store.db, { fetch, now: new Date(Date.now() + 2 * 60_000) })).toBe(2);
    listed = await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(listed.body.items.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered']);
    const { headers, body } = received[received.length - 1]!;
    const secretRow = await f.store.db
      .selectFrom('webhooks')
      .select('secret')
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    const [t, v1] = headers['relance-signature']!.split(',').map((part) => part.split('=')[1]!);
    expect(v1).toBe(createHmac('sha256', secretRow.secret).update(`${t}.${body}`).digest('hex'));
    expect(JSON.parse(body)).toMatchObject({
      event: 'invoice.paid',
      id: headers['relance-delivery'],
      data: { currency: 'EUR' },
    });
  });

  it('policies, plan, categories, runs and the reminders history', async () => {
    const saved = await admin('PUT', '/api/v1/policies/standard?makeDefault=true', {
      steps: [
        { label: '1ère relance', delayDays: 10, from: 'dueDate', channels: ['email'] },
        { label: '2ème relance', delayDays: 15, from: 'previousStep', channels: ['email'] },
      ],
      minBalance: '15.00',
      minDaysBetween: 7,
    });
    expect(saved.body).toMatchObject({ name: 'standard', isDefault: true });
    expect((await admin('GET', '/api/v1/policies')).body.items.map((p: { name: string }) => p.name)).toEqual([
      'standard',
    ]);
    const plan = await admin('GET', '/api/v1/plan?date=2025-06-01&customer=AM');
    expect(plan.body.items.map((i: { invoice: string; action: string }) => [i.invoice, i.action])).toEqual([
      ['A-F3', 'send'],
    ]);
    const categories = await admin('GET', '/api/v1/invoices/categories?asOf=2025-06-01');
    // Paul's invoice, blocked by the hold above, is held with its reason rather than left out.
    expect(categories.body.categories).toEqual([
      {
        key: 'held-blocked',
        label: 'À traiter : client bloqué',
        level: null,
        inProgress: false,
        stepLabels: [],
        count: 1,
        balance: { EUR: 120_000 },
      },
      {
        key: 'level-1',
        label: '1ère relance',
        level: 1,
        inProgress: false,
        stepLabels: ['1ère relance'],
        count: 1,
        balance: { EUR: 50_000 },
      },
    ]);
    const listed = await admin('GET', '/api/v1/invoices?category=level-1&asOf=2025-06-01');
    expect(listed.body.items.map((i: { number: string }) => i.number)).toEqual(['A-F3']);
    expect(
      (await admin('GET', '/api/v1/invoices/totals?category=level-1&asOf=2025-06-01')).body.totals[0],
    ).toMatchObject({ count: 1, balance: 50_000 });
    // Without an SMTP server the run is refused before anything is recorded, in the company's language.
    const refused = await call(f.app, f.tokens.collector, 'POST', '/api/v1/runs', {
      date: '2025-06-01',
      customer: 'AM',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ messageKey: 'mail.noSmtp' });
    expect(refused.body.detail).toMatch(/^Aucun serveur SMTP n'est configuré : aucun e-mail ne peut partir/);
    expect((await admin('GET', '/api/v1/reminders?customer=AM')).body.items).toEqual([]);
    sink = await startSink();
    await admin('PATCH', '/api/v1/mail/settings', { smtpUrl: sink.url, from: 'relances@alpha.example' });
    const run = await call(f.app, f.tokens.collector, 'POST', '/api/v1/runs', { date: '2025-06-01', customer: 'AM' });
    expect(run.body).toMatchObject({ communications: 1, reminders: 1, run: { status: 'completed' } });
    expect(run.body.dispatch).toMatchObject({ sent: 1 });
    expect((await call(f.app, f.tokens.collector, 'POST', '/api/v1/runs', { date: '2999-01-01' })).status).toBe(422);
    expect((await admin('GET', '/api/v1/runs')).body.items[0].id).toBe(run.body.run.id);
    expect((await admin('GET', '/api/v1/reminders?customer=AM')).body.items).toEqual([
      {
        invoice: 'A-F3',
        customer: 'AM',
        level: 1,
        sentOn: '2025-06-01',
        channel: 'email',
        runId: run.body.run.id,
        communicationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    // The list says when each invoice was last reminded (« Dernière relance »), the detail too.
    const byCustomer = (await admin('GET', '/api/v1/invoices?customer=AM')).body.items as {
      number: string;
      lastReminderOn: string | null;
    }[];
    expect(byCustomer.map((i) => [i.number, i.lastReminderOn])).toEqual([
      ['A-F1', null],
      ['A-F3', '2025-06-01'],
    ]);
    // The letter of that reminder, printed again from its communication.
    const [sent] = (await admin('GET', '/api/v1/reminders?customer=AM')).body.items as { communicationId: string }[];
    const again = await f.app.inject({
      method: 'GET',
      url: `/api/v1/communications/${sent!.communicationId}/letter`,
      headers: { authorization: `Bearer ${f.tokens.viewer}` },
    });
    expect([
      again.statusCode,
      again.headers['content-type'],
      again.rawPayload.subarray(0, 5).toString('latin1'),
    ]).toEqual([200, 'application/pdf', '%PDF-']);
    const inProgress = await admin('GET', '/api/v1/invoices?category=level-1-in-progress&asOf=2025-06-02');
    expect(inProgress.body.items.map((i: { number: string }) => i.number)).toEqual(['A-F3']);
    const hook = (await admin('GET', '/api/v1/webhooks')).body.items[0];
    const deliveries = await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(deliveries.body.items[0]).toMatchObject({ event: 'reminder.sent', status: 'pending' });
  });

  it('imports a CSV upload with the same row-level errors as the command line', async () => {
    const good = multipart(
      'clients.csv',
      'code;name;kind;email\nK1;Kappa;société;k@kappa.fr\nK2;Kilo;particulier;k@kilo.fr',
    );
    const imported = await f.app.inject({
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { ...good.headers, authorization: `Bearer ${f.tokens.admin}` },
      payload: good.payload,
    });
    expect(JSON.parse(imported.body)).toMatchObject({ committed: true, created: 2, delimiter: ';' });
    const bad = multipart(
      'factures.csv',
      'number,customer,issue_date,due_date,total,currency\nZ1,K1,2025-01-01,2025-01-31,12.00,EUR\nZ2,NOPE,2025-13-01,2025-01-31,abc,EUR',
    );
    const refused = await f.app.inject({
      method: 'POST',
      url: '/api/v1/import/invoices',
      headers: { ...bad.headers, authorization: `Bearer ${f.tokens.admin}` },
      payload: bad.payload,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    const report = JSON.parse(refused.body);
    expect(report).toMatchObject({ code: 'invalid_input', committed: false, badRows: 1, created: 0 });
    expect(report.issues.map((i: { line: number; field: string }) => [i.line, i.field])).toEqual(
      expect.arrayContaining([
        [3, 'customer'],
        [3, 'total'],
      ]),
    );
    expect((await admin('GET', '/api/v1/invoices?q=Z1')).body.items).toEqual([]);
    const noFile = await admin('POST', '/api/v1/import/invoices', {});
    expect(noFile.body).toMatchObject({ status: 400, code: 'usage' });
  });

  it('company settings, automation, quotes, users and the last admin', async () => {
    expect((await admin('PATCH', '/api/v1/company', { address: { city: 'Lyon' } })).body.address.city).toBe('Lyon');
    const automation = (await admin('PUT', '/api/v1/company/automation', { enabled: true, time: '07:45' })).body;
    expect(automation).toMatchObject({ enabled: true, time: '07:45', skipWeekends: true, skipHolidays: true });
    // The next run is at that local time, on the next business day (today's if 07:45 is still to come).
    expect(automation.nextRunAt).toMatch(/^\d{4}-\d{2}-\d{2}T07:45[+-]\d{2}:\d{2}$/);
    expect((await admin('PUT', '/api/v1/company/automation', { time: '25:00' })).status).toBe(422);
    expect((await admin('GET', '/api/v1/quotes')).body.items.map((q: { number: string }) => q.number)).toEqual([
      'A-D1',
    ]);
    expect((await admin('PUT', '/api/v1/quotes/A-D1/status', { status: 'accepted' })).status).toBe(200);
    expect((await admin('GET', '/api/v1/quotes?status=accepted')).body.items).toHaveLength(1);
    const added = await admin('POST', '/api/v1/users', {
      email: 'nouveau@example.test',
      role: 'collector',
      salesRep: 'Paul',
    });
    expect(added.body).toMatchObject({ created: true, user: { role: 'collector', salesRep: 'Paul' } });
    expect(added.body.generatedPassword).toMatch(/^.{20}$/);
    expect((await admin('PATCH', `/api/v1/users/${added.body.user.userId}`, { role: 'viewer' })).status).toBe(200);
    expect(
      (await admin('GET', '/api/v1/users')).body.items.find(
        (u: { email: string }) => u.email === 'nouveau@example.test',
      ).role,
    ).toBe('viewer');
    expect((await admin('PATCH', `/api/v1/users/${f.users.admin}`, { role: 'viewer' })).body).toMatchObject({
      status: 409,
    });
  });
});
