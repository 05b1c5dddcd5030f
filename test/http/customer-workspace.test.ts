import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagBouncedAddresses } from '../../src/storage/customers.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

describe.each(dialects)('customer page: contacts, notes, call log and tasks on %s', (dialect) => {
  let f: Fixture;
  const as = (who: keyof Fixture['tokens']) => (method: string, url: string, body?: unknown) =>
    call(f.app, f.tokens[who], method as never, url, body);
  beforeAll(async () => {
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  it('shows a bounced address and fixing it clears the flag', async () => {
    const admin = as('admin');
    const [contact] = (await admin('GET', `/api/v1/customers/${f.alpha.marie.id}/contacts`)).body.items;
    await flagBouncedAddresses(f.store.db, f.alpha.company.id, [contact.email], '550 mailbox unknown');
    const bounced = (await admin('GET', `/api/v1/customers/${f.alpha.marie.id}`)).body.contacts[0];
    expect(bounced.emailBouncedAt).toBeTruthy();
    expect(bounced.emailBounceReason).toBe('550 mailbox unknown');
    const fixed = await admin('PATCH', `/api/v1/customers/${f.alpha.marie.id}/contacts/${contact.id}`, {
      email: 'factures@am.example',
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ email: 'factures@am.example', emailBouncedAt: null });
    expect(
      (
        await admin('PATCH', `/api/v1/customers/${f.alpha.marie.id}/contacts/${contact.id}`, {
          email: 'pas-une-adresse',
        })
      ).status,
    ).toBe(422);
    // Another représentant's collector cannot reach Paul's customer.
    expect(
      (await as('restricted')('PATCH', `/api/v1/customers/${f.alpha.paul.id}/contacts/${contact.id}`, { name: 'X' }))
        .status,
    ).toBe(404);
  });

  it('logs notes and calls, and a task shows on the dashboard of the user it is assigned to until done', async () => {
    const admin = as('admin');
    expect(
      (
        await admin('POST', `/api/v1/customers/${f.alpha.marie.id}/activities`, {
          kind: 'call',
          body: 'Appel : paiement la semaine prochaine',
        })
      ).status,
    ).toBe(201);
    expect(
      (await admin('POST', `/api/v1/customers/${f.alpha.marie.id}/activities`, { kind: 'task', body: 'Rappeler' }))
        .status,
    ).toBe(422);
    const task = await admin('POST', `/api/v1/customers/${f.alpha.marie.id}/activities`, {
      kind: 'task',
      body: 'Rappeler le comptable',
      dueOn: '2026-01-12',
      assignedTo: f.users.collector,
    });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({
      kind: 'task',
      dueOn: '2026-01-12',
      assignedEmail: f.emails.collector,
      doneAt: null,
    });
    const listed = (await admin('GET', `/api/v1/customers/${f.alpha.marie.id}/activities`)).body.items;
    expect(listed.map((a: { kind: string }) => a.kind).sort()).toEqual(['call', 'task']);

    const mine = (await as('collector')('GET', '/api/v1/tasks/mine')).body.items;
    expect(mine).toEqual([expect.objectContaining({ body: 'Rappeler le comptable', customerCode: 'AM' })]);
    expect((await admin('GET', '/api/v1/tasks/mine')).body.items).toEqual([]);
    expect(
      (await as('collector')('PUT', `/api/v1/tasks/${task.body.id}/done`, { done: true })).body.doneAt,
    ).toBeTruthy();
    expect((await as('collector')('GET', '/api/v1/tasks/mine')).body.items).toEqual([]);
    // Nobody outside the company can be assigned, and a viewer cannot write.
    expect(
      (
        await admin('POST', `/api/v1/customers/${f.alpha.marie.id}/activities`, {
          kind: 'task',
          body: 'x',
          dueOn: '2026-01-12',
          assignedTo: f.users.betaAdmin,
        })
      ).status,
    ).toBe(422);
    expect(
      (await as('viewer')('POST', `/api/v1/customers/${f.alpha.marie.id}/activities`, { kind: 'note', body: 'x' }))
        .status,
    ).toBe(403);
    expect((await as('betaAdmin')('GET', `/api/v1/customers/${f.alpha.marie.id}/activities`)).status).toBe(404);
  });
});
