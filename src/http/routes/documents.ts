import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ContextRequest } from '../../communications/load-context.ts';
import { todayIn, type IsoDate } from '../../domain/calendar.ts';
import { presentChoice, type ChosenInvoice } from '../../domain/dunning/content.ts';
import type { Policy } from '../../domain/dunning/policy.ts';
import { invoiceCopyPdf } from '../../documents/invoice-copy.ts';
import { renderLetterPdf } from '../../documents/letter.ts';
import { planLetterRequests } from '../../documents/plan-letters.ts';
import { lettersBatch, prepareLetters, runLetterRequests } from '../../documents/run-letters.ts';
import { statementPdf } from '../../documents/statement.ts';
import { summaryPdf } from '../../documents/summary.ts';
import { loadPolicies } from '../../dunning/load-inputs.ts';
import { AppError } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { getCompany } from '../../storage/companies.ts';
import { getCustomer, getCustomerByCode } from '../../storage/customers.ts';
import type { Db } from '../../storage/database.ts';
import { getLetterSettings, getRunDocument } from '../../storage/documents.ts';
import { getInvoice } from '../../storage/invoices.ts';
import { assertVisible, scopeOf, type Scope } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IdParamsSchema, IsoDateSchema, problems } from '../schemas.ts';

const tags = ['documents'];
// A PDF body is a Buffer, which Fastify sends as it is; only the problems go through a schema.
const PdfResponse = { ...problems };

/** A PDF download; the name is reduced to ASCII so no header can be forged through a customer code. */
export function sendPdf(reply: FastifyReply, pdf: Uint8Array, filename: string): FastifyReply {
  const safe =
    filename
      .normalize('NFD')
      .replace(/[^\w .-]/g, '')
      .replace(/\s+/g, '-') || 'document.pdf';
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${safe}"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(pdf));
}

async function today(db: Db, companyId: string): Promise<IsoDate> {
  return todayIn((await getCompany(db, companyId)).timeZone);
}

/** The customers a restricted collector may print for (null: all of the company's). */
async function visibleCustomerIds(db: Db, scope: Scope, customerIds: string[]): Promise<Set<string> | null> {
  if (scope.salesRep === null) return null;
  const ids = [...new Set(customerIds)].filter(isId);
  const visible = new Set<string>();
  for (let at = 0; at < ids.length; at += 1_000) {
    const rows = await db
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', scope.companyId)
      .where('id', 'in', ids.slice(at, at + 1_000))
      .where('sales_rep', '=', scope.salesRep)
      .execute();
    for (const row of rows) visible.add(row.id);
  }
  return visible;
}

async function onlyVisible(db: Db, scope: Scope, requests: ContextRequest[]): Promise<ContextRequest[]> {
  const visible = await visibleCustomerIds(
    db,
    scope,
    requests.map((r) => r.customerId),
  );
  return visible === null ? requests : requests.filter((r) => visible.has(r.customerId));
}

/** A recorded communication (a reminder sent, by a run or by hand) as the request of its letter. */
async function communicationRequest(db: Db, scope: Scope, id: string): Promise<ContextRequest> {
  const communication = isId(id)
    ? await db
        .selectFrom('communications')
        .select(['customer_id', 'level'])
        .where('company_id', '=', scope.companyId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!communication) throw new AppError('not_found', `No communication with id ${id}.`);
  assertVisible(
    scope,
    await getCustomer(db, scope.companyId, communication.customer_id),
    `communication with id ${id}`,
  );
  const reminders = await db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['r.invoice_id', 'r.sent_on'])
    .where('r.company_id', '=', scope.companyId)
    .where('r.communication_id', '=', id)
    .where('r.state', '<>', 'cancelled')
    .orderBy('i.due_date')
    .orderBy('i.number')
    .execute();
  if (reminders.length === 0) throw new AppError('not_found', `Communication ${id} has no reminder.`);
  return {
    customerId: communication.customer_id,
    invoiceIds: reminders.map((r) => r.invoice_id),
    level: communication.level,
    date: reminders[0]!.sent_on,
  };
}

/**
 * A selection of invoices ("Générer les relances"), as one letter per customer, currency and level. Each
 * invoice's level is the one after the last it received (capped at its policy's last step), or `level`
 * when given; an invoice not yet due is only mentioned in the à échoir block of the customer's first letter.
 */
export async function selectionRequests(
  db: Db,
  scope: Scope,
  invoiceIds: string[],
  options: { date: IsoDate; level?: number },
): Promise<ContextRequest[]> {
  const ids = [...new Set(invoiceIds)];
  const rows: {
    id: string;
    number: string;
    customer_id: string;
    currency: string;
    due_date: string;
    policy_id: string | null;
    sales_rep: string | null;
  }[] = [];
  const history = new Map<string, { level: number; date: string }[]>();
  const valid = ids.filter(isId);
  for (let at = 0; at < valid.length; at += 1_000) {
    const chunk = valid.slice(at, at + 1_000);
    rows.push(
      ...(await db
        .selectFrom('invoices as i')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
        )
        .select(['i.id', 'i.number', 'i.customer_id', 'i.currency', 'i.due_date', 'c.policy_id', 'c.sales_rep'])
        .where('i.company_id', '=', scope.companyId)
        .where('i.id', 'in', chunk)
        .execute()),
    );
    for (const r of await db
      .selectFrom('reminders')
      .select(['invoice_id', 'level', 'sent_on', 'state'])
      .where('company_id', '=', scope.companyId)
      .where('invoice_id', 'in', chunk)
      .where('state', '<>', 'cancelled')
      .execute()) {
      const reminder = { level: r.level, date: r.sent_on, ...(r.state === 'pending' ? { pending: true } : {}) };
      history.set(r.invoice_id, [...(history.get(r.invoice_id) ?? []), reminder]);
    }
  }
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.find(
    (id) => !found.has(id) || (scope.salesRep !== null && found.get(id)!.sales_rep !== scope.salesRep),
  );
  if (missing !== undefined) {
    throw new AppError('not_found', `No invoice with id ${missing}.`);
  }
  const policies = await loadPolicies(db, scope.companyId);
  const byCustomer = new Map<string, { policy: Policy; chosen: ChosenInvoice[] }>();
  for (const id of ids) {
    const row = found.get(id)!;
    const key = `${row.customer_id}|${row.currency}`;
    const entry = byCustomer.get(key) ?? {
      policy: (row.policy_id && policies.byId.get(row.policy_id)) || policies.fallback,
      chosen: [],
    };
    entry.chosen.push({
      id,
      number: row.number,
      dueDate: row.due_date,
      reminders: (history.get(id) ?? []).map((h) => ({ level: h.level, date: h.date })),
    });
    byCustomer.set(key, entry);
  }
  const requests: ContextRequest[] = [];
  for (const [key, { policy, chosen }] of byCustomer) {
    const customerId = key.slice(0, key.indexOf('|'));
    if (options.level !== undefined) {
      requests.push({ customerId, invoiceIds: chosen.map((c) => c.id), level: options.level, date: options.date });
      continue;
    }
    // The content rules of every message: one letter per level, invoices not yet due only in the à échoir block.
    const { groups, upcoming } = presentChoice(policy, chosen, options.date);
    groups.forEach((group, index) =>
      requests.push({
        customerId,
        invoiceIds: group.ids,
        level: Math.min(group.level, policy.steps.length),
        date: options.date,
        ...(index === 0 && upcoming.length ? { upcomingIds: upcoming } : {}),
      }),
    );
  }
  return requests;
}

export function documentRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/communications/:id/letter',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The reminder letter (or formal notice) of a recorded communication, as a PDF',
        params: IdParamsSchema,
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const [letter] = await prepareLetters(api.db, scope.companyId, [
        await communicationRequest(api.db, scope, request.params.id),
      ]);
      const pdf = await renderLetterPdf(
        letter!.context,
        letter!.letterText,
        await getLetterSettings(api.db, scope.companyId),
      );
      return sendPdf(reply, pdf, `relance-${letter!.context.customer.code}-${letter!.context.date}.pdf`);
    },
  );

  api.get(
    '/api/v1/invoices/:id/letter',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The reminder letter of one invoice ("PDF relance" of a row): its next level unless one is given',
        params: IdParamsSchema,
        querystring: z.object({
          level: z.coerce.number().int().min(1).max(20).optional(),
          date: IsoDateSchema.optional(),
        }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      const requests = await selectionRequests(api.db, scope, [request.params.id], {
        date,
        level: request.query.level,
      });
      const [letter] = await prepareLetters(api.db, scope.companyId, requests);
      const pdf = await renderLetterPdf(
        letter!.context,
        letter!.letterText,
        await getLetterSettings(api.db, scope.companyId),
      );
      return sendPdf(reply, pdf, `relance-${letter!.context.invoices[0]?.number ?? 'facture'}-${date}.pdf`);
    },
  );

  api.get(
    '/api/v1/invoices/:id/copy',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The invoice as a PDF: its stored file, else a copy generated from the ledger',
        params: IdParamsSchema,
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const invoice = await getInvoice(api.db, scope.companyId, request.params.id);
      assertVisible(
        scope,
        await getCustomer(api.db, scope.companyId, invoice.customerId),
        `invoice with id ${request.params.id}`,
      );
      return sendPdf(reply, await invoiceCopyPdf(api.db, scope.companyId, invoice.id), `facture-${invoice.number}.pdf`);
    },
  );

  api.get(
    '/api/v1/runs/:id/letters',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The printable batch of a run's letters (the one the run stored, unless changed or with copies)",
        params: IdParamsSchema,
        querystring: z.object({ copies: z.enum(['true', 'false']).default('false') }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const copies = request.query.copies === 'true';
      const runId = request.params.id;
      if (!isId(runId)) throw new AppError('not_found', `No run with id ${runId}.`);
      // The stored batch holds every customer's letters: a restricted collector gets its own made again.
      const stored = scope.salesRep === null && !copies ? await getRunDocument(api.db, scope.companyId, runId) : null;
      if (stored && existsSync(stored.path)) {
        const bytes = readFileSync(stored.path);
        if (createHash('sha256').update(bytes).digest('hex') === stored.sha256)
          return sendPdf(reply, bytes, `relances-${runId}.pdf`);
      }
      const requests = await onlyVisible(api.db, scope, await runLetterRequests(api.db, scope.companyId, runId));
      if (requests.length === 0) throw new AppError('not_found', `Run ${runId} has no letter to print.`);
      const batch = await lettersBatch(
        api.db,
        scope.companyId,
        requests,
        { title: `Relances ${requests[0]!.date}`, date: requests[0]!.date },
        { invoiceCopies: copies },
      );
      return sendPdf(reply, batch.pdf, `relances-${runId}.pdf`);
    },
  );

  api.post(
    '/api/v1/documents/letters',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'One printable PDF of reminder letters ("Générer les relances" → PDF): for chosen invoices (one letter per ' +
          'customer and currency), or for what the plan of a date sends at a level. Records nothing; POST /api/v1/runs does.',
        body: z
          .object({
            invoiceIds: z.array(z.string().max(100)).min(1).max(5_000).optional(),
            level: z.number().int().min(1).max(20).optional(),
            date: IsoDateSchema.optional(),
            copies: z.boolean().default(false),
          })
          .refine((b) => b.invoiceIds !== undefined || b.level !== undefined, {
            message: 'give invoiceIds, or the level of the plan to print',
            path: ['invoiceIds'],
          }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { invoiceIds, level, copies } = request.body;
      const date = request.body.date ?? (await today(api.db, scope.companyId));
      const requests = invoiceIds
        ? await selectionRequests(api.db, scope, invoiceIds, { date, level })
        : await onlyVisible(api.db, scope, await planLetterRequests(api.db, scope.companyId, { date, level }));
      if (requests.length === 0)
        throw new AppError('not_found', `The plan of ${date} has nothing to send at level ${level}.`);
      const batch = await lettersBatch(
        api.db,
        scope.companyId,
        requests,
        { title: `Relances ${date}`, date },
        { invoiceCopies: copies },
      );
      return sendPdf(
        reply.header('x-letters', String(batch.letters)).header('x-pages', String(batch.pages)),
        batch.pdf,
        `relances-${date}.pdf`,
      );
    },
  );

  api.get(
    '/api/v1/customers/:id/statement',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The customer's statement of account (relevé de compte): open invoices, totals, aged balance",
        params: IdParamsSchema,
        querystring: z.object({ date: IsoDateSchema.optional() }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const customer = await getCustomer(api.db, scope.companyId, request.params.id);
      assertVisible(scope, customer, `customer with id ${request.params.id}`);
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      return sendPdf(
        reply,
        await statementPdf(api.db, scope.companyId, { customerCode: customer.code, date }),
        `releve-${customer.code}-${date}.pdf`,
      );
    },
  );

  api.get(
    '/api/v1/documents/summary',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The reminders summary ("PDF synthèse"): each reminded invoice with the date of each level',
        querystring: z.object({
          customer: z.string().max(50).optional().describe('customer code'),
          date: IsoDateSchema.optional(),
          language: z.enum(['fr', 'en']).optional(),
        }),
        response: PdfResponse,
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { customer, language } = request.query;
      if (customer)
        assertVisible(
          scope,
          await getCustomerByCode(api.db, scope.companyId, customer),
          `customer with code ${customer}`,
        );
      else if (scope.salesRep !== null) {
        throw new AppError(
          'forbidden',
          'A collector restricted to a sales rep prints the summary one customer at a time (customer).',
        );
      }
      const date = request.query.date ?? (await today(api.db, scope.companyId));
      const result = await summaryPdf(api.db, scope.companyId, { date, customerCode: customer, language });
      return sendPdf(reply.header('x-invoices', String(result.invoices)), result.pdf, `synthese-relances-${date}.pdf`);
    },
  );
}
