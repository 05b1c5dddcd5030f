import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomerActivity } from '../../src/customers/activities.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { setDispute } from '../../src/invoices/set-dispute.ts';
import { setPromiseToPay } from '../../src/invoices/set-promise-to-pay.ts';
import { systemActor } from '../../src/shared/actor.ts';
import type { Db } from '../../src/storage/database.ts';
import {
  insertPaymentAnnouncement,
  insertPortalFile,
  insertScheduleRequest,
  notePortalPromise,
} from '../../src/storage/portal-answers.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture, type Side } from './support.ts';

/** What a customer does on the payment page, written as the page's use cases leave it. */
async function answers(db: Db, side: Side, customer: 'marie' | 'paul') {
  const companyId = side.company.id;
  const who = side[customer];
  const invoice = customer === 'marie' ? side.invoice : side.paulInvoice;
  const portal = systemActor(companyId, 'client (portail)');
  const today = todayIn(side.company.timeZone);
  await setDispute(db, portal, invoice.id, { reason: 'Montant : erreur' });
  await addCustomerActivity(db, portal, who.id, {
    kind: 'task',
    body: `Traiter la contestation de la facture ${invoice.number}`,
    dueOn: today,
    assignedTo: null,
    invoiceId: invoice.id,
  });
  // A task nobody was given that is not a dispute, and a promise typed in the workspace: not customer answers.
  await addCustomerActivity(db, systemActor(companyId, 'api'), who.id, {
    kind: 'task',
    body: 'Rappeler le comptable',
    dueOn: today,
    assignedTo: null,
  });
  await insertScheduleRequest(db, companyId, {
    customerId: who.id,
    invoiceId: invoice.id,
    instalments: [{ seq: 1, dueDate: Temporal.PlainDate.from(today).add({ days: 30 }).toString(), amount: 1_000 }],
    message: 'En deux fois',
  });
  await insertPaymentAnnouncement(db, companyId, {
    customerId: who.id,
    invoiceIds: [invoice.id],
    paidOn: today,
    amount: 1_000,
    currency: 'EUR',
    means: 'transfer',
    today,
    createdBy: portal.name,
  });
  const promised = Temporal.PlainDate.from(today).add({ days: 10 }).toString();
  await setPromiseToPay(db, portal, invoice.id, { date: promised });
  await notePortalPromise(db, companyId, [invoice.id], promised);
  if (customer === 'marie') {
    const other = await db
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', companyId)
      .where('number', '=', 'A-F3')
      .executeTakeFirstOrThrow();
    await setPromiseToPay(db, systemActor(companyId, 'api'), other.id, { date: promised });
  }
  return insertPortalFile(db, companyId, {
    customerId: who.id,
    invoiceId: invoice.id,
    filename: 'Réclamation <script>.html',
    mediaType: 'text/html',
    content: Buffer.from('<script>alert(1)</script>'),
  });
}

describe.each(dialects)("the collector's view of customer answers on %s", (dialect) => {
  let f: Fixture;
  let marieFile: string;
  let paulFile: string;

  beforeAll(async () => {
    f = await fixture(dialect);
    marieFile = await answers(f.store.db, f.alpha, 'marie');
    paulFile = await answers(f.store.db, f.alpha, 'paul');
  });
  afterAll(async () => f.dispose());

  it("lists what waits, each section scoped to the customers the collector may see and gone once it's handled", async () => {
    const all = await call(f.app, f.tokens.admin, 'GET', '/api/v1/customer-answers');
    expect(all.status).toBe(200);
    for (const section of ['tasks', 'schedules', 'payments', 'promises'])
      expect(all.body[section].count, section).toBe(2);
    expect(all.body.schedules.items[0]).toMatchObject({ message: 'En deux fois', currency: 'EUR' });
    expect(all.body.payments.items.map((p: { invoiceNumbers: string[] }) => p.invoiceNumbers).flat()).toEqual(
      expect.arrayContaining(['A-F1', 'A-F2']),
    );

    const marie = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/customer-answers');
    for (const section of ['tasks', 'schedules', 'payments', 'promises']) {
      expect(marie.body[section].count, section).toBe(1);
      expect(marie.body[section].items[0].customerId, section).toBe(f.alpha.marie.id);
    }
    // The dispute is named by its invoice; the other task nobody was given and the workspace's promise are not there.
    expect(marie.body.tasks.items[0]).toMatchObject({ invoiceNumber: 'A-F1' });
    // What is left to pay once the fixture's payment of 200,00 € is taken off.
    expect(marie.body.promises.items[0]).toMatchObject({
      invoiceNumber: 'A-F1',
      balance: f.alpha.invoice.total - 20_000,
    });

    const beta = await call(f.app, f.tokens.betaAdmin, 'GET', '/api/v1/customer-answers');
    for (const section of ['tasks', 'schedules', 'payments', 'promises', 'replies'])
      expect(beta.body[section].count, section).toBe(0);

    // Paul's dispute lifted in the workspace leaves the card though its task stays open; a promise changed in the
    // workspace is no longer the customer's.
    expect(
      (await call(f.app, f.tokens.admin, 'PUT', `/api/v1/invoices/${f.alpha.paulInvoice.id}/dispute`, { reason: null }))
        .status,
    ).toBe(200);
    const changed = Temporal.PlainDate.from(todayIn(f.alpha.company.timeZone)).add({ days: 20 }).toString();
    await setPromiseToPay(f.store.db, systemActor(f.alpha.company.id, 'api'), f.alpha.paulInvoice.id, {
      date: changed,
    });
    const lifted = await call(f.app, f.tokens.admin, 'GET', '/api/v1/customer-answers');
    expect(lifted.body.tasks.count).toBe(1);
    expect(lifted.body.promises.count).toBe(1);

    // Handled: the task done, the plan refused; the section loses the item.
    const task = marie.body.tasks.items[0].id as string;
    expect((await call(f.app, f.tokens.restricted, 'PUT', `/api/v1/tasks/${task}/done`, { done: true })).status).toBe(
      200,
    );
    const plan = marie.body.schedules.items[0].id as string;
    const refused = await call(f.app, f.tokens.restricted, 'POST', `/api/v1/schedule-requests/${plan}/decision`, {
      accept: false,
      message: 'Pas plus de deux mois',
    });
    expect(refused.status).toBe(200);
    const after = await call(f.app, f.tokens.restricted, 'GET', '/api/v1/customer-answers');
    expect(after.body.tasks.count).toBe(0);
    expect(after.body.schedules.count).toBe(0);
  });

  it('hands a dispute attachment over as a download, never to a collector who may not see the customer', async () => {
    const listed = await call(f.app, f.tokens.restricted, 'GET', `/api/v1/customers/${f.alpha.marie.id}/portal-files`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: marieFile, invoiceNumber: 'A-F1', filename: 'Réclamation <script>.html' }),
    ]);
    expect(listed.body.items[0].size).toBe(25);

    const file = await call(f.app, f.tokens.restricted, 'GET', `/api/v1/portal-files/${marieFile}`);
    expect(file.status).toBe(200);
    expect(file.raw).toBe('<script>alert(1)</script>');
    // A type a browser would run is sent as bytes to save, never shown.
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="Reclamation script.html"; filename\*=/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    expect((await call(f.app, f.tokens.restricted, 'GET', `/api/v1/portal-files/${paulFile}`)).status).toBe(404);
    expect(
      (await call(f.app, f.tokens.restricted, 'GET', `/api/v1/customers/${f.alpha.paul.id}/portal-files`)).status,
    ).toBe(404);
    expect((await call(f.app, f.tokens.betaAdmin, 'GET', `/api/v1/portal-files/${marieFile}`)).status).toBe(404);
    expect((await call(f.app, f.tokens.admin, 'GET', `/api/v1/portal-files/${paulFile}`)).status).toBe(200);
  });
});
