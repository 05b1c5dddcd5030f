import { z } from 'zod';
import { loadMessageContext, sampleContextFor } from '../../communications/load-context.ts';
import type { MessageContext } from '../../communications/message-context.ts';
import { todayIn } from '../../domain/calendar.ts';
import { defaultPolicy } from '../../domain/dunning/policy.ts';
import { companyLanguage, type Language } from '../../domain/ledger.ts';
import { loadPolicies } from '../../dunning/load-inputs.ts';
import { sendTestMessage } from '../../mail/test-send.ts';
import { AppError } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { getCompany } from '../../storage/companies.ts';
import { getCustomer } from '../../storage/customers.ts';
import type { Db } from '../../storage/database.ts';
import { isOpenInvoice } from '../../storage/open-invoice.ts';
import { getTemplate, listTemplates, resetTemplate, saveTemplate } from '../../storage/templates.ts';
import { inTransaction } from '../../storage/transactions.ts';
import { TEMPLATE_KEYS, TEMPLATE_TITLES, levelForTemplate, type TemplateKey } from '../../templates/keys.ts';
import { renderMessage } from '../../templates/render.ts';
import { FILTERS, VARIABLES } from '../../templates/variables.ts';
import { assertVisible, scopeOf, type Scope } from '../auth.ts';
import { audit, type ZodApi } from '../context.ts';
import { IsoDateSchema, problems } from '../schemas.ts';
import { dispatchAfter, DispatchReportSchema, OutboxMessageSchema, toMessageOut } from './outbox.ts';

const tags = ['templates'];
const KeyParams = z.object({ key: z.enum(TEMPLATE_KEYS), language: z.enum(['fr', 'en']) });
const Fields = { subject: z.string(), text: z.string(), html: z.string(), letter: z.string() };
const TemplateOut = z.object({
  key: z.string(),
  language: z.string(),
  title: z.string(),
  custom: z.boolean(),
  updatedAt: z.string().nullable(),
  ...Fields,
});
const DraftSchema = z.object({
  subject: z.string().max(100_000).optional(),
  text: z.string().max(100_000).optional(),
  html: z.string().max(100_000).optional(),
  letter: z.string().max(100_000).optional(),
});

/** Field names of the request body, so an editor can put the error under the right box. */
function bodyIssues(error: unknown): never {
  if (error instanceof AppError && error.code === 'invalid_input' && error.issues.length > 0) {
    throw new AppError(
      error.code,
      error.message,
      error.issues.map((i) => ({ ...i, field: `body.${i.field}` })),
    );
  }
  throw error;
}

type PreviewBody = { customerId?: string; invoiceIds?: string[]; level?: number; date?: string };

/** A customer's real data (its open invoices unless some are named), else the sample data signed by the company. */
async function previewContext(
  db: Db,
  scope: Scope,
  key: TemplateKey,
  language: Language,
  body: PreviewBody,
): Promise<MessageContext> {
  const company = await getCompany(db, scope.companyId);
  const date = body.date ?? todayIn(company.timeZone);
  if (!body.customerId) {
    if (body.invoiceIds?.length)
      throw new AppError('invalid_input', 'invoiceIds need a customerId.', [
        { field: 'body.customerId', reason: 'required with invoiceIds' },
      ]);
    return sampleContextFor(company, language, body.level ?? levelForTemplate(defaultPolicy(), key), date);
  }
  const customer = await getCustomer(db, scope.companyId, body.customerId);
  assertVisible(scope, customer, `customer with id ${body.customerId}`);
  let invoices = db
    .selectFrom('invoices')
    .select('id')
    .where('company_id', '=', scope.companyId)
    .where('customer_id', '=', customer.id);
  invoices = body.invoiceIds?.length
    ? invoices.where('id', 'in', body.invoiceIds.filter(isId))
    : invoices.where(isOpenInvoice());
  const found = await invoices.orderBy('due_date').orderBy('number').limit(200).execute();
  const missing = (body.invoiceIds ?? []).find((id) => !found.some((f) => f.id === id));
  if (missing) throw new AppError('not_found', `No invoice with id ${missing} for customer ${customer.code}.`);
  const [policies, row] = await Promise.all([
    loadPolicies(db, scope.companyId),
    db
      .selectFrom('customers')
      .select('policy_id')
      .where('company_id', '=', scope.companyId)
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow(),
  ]);
  const policy = (row.policy_id && policies.byId.get(row.policy_id)) || policies.fallback;
  return loadMessageContext(db, scope.companyId, {
    customerId: customer.id,
    invoiceIds: found.map((f) => f.id),
    date,
    level: body.level ?? levelForTemplate(policy, key),
    language,
  });
}

export function templateRoutes(api: ZodApi): void {
  api.get(
    '/api/v1/templates',
    {
      config: { access: 'templates.view' },
      schema: {
        tags,
        summary: "Every template kind and language, the company's version or the built-in one",
        response: { 200: z.object({ items: z.array(TemplateOut) }), ...problems },
      },
    },
    async (request) => ({
      items: (await listTemplates(api.db, scopeOf(request).companyId)).map((t) => ({
        ...t,
        title: TEMPLATE_TITLES[t.key][t.language],
      })),
    }),
  );

  api.get(
    '/api/v1/templates/variables',
    {
      config: { access: 'templates.view' },
      schema: {
        tags,
        summary: 'The variables and filters a template can use (docs/templates.md)',
        response: {
          200: z.object({
            variables: z.array(
              z.object({
                name: z.string(),
                type: z.string(),
                fr: z.string(),
                en: z.string(),
                nullable: z.boolean().optional(),
              }),
            ),
            filters: z.array(z.object({ name: z.string(), fr: z.string(), en: z.string() })),
          }),
          ...problems,
        },
      },
    },
    async () => ({ variables: VARIABLES, filters: [...FILTERS] }),
  );

  api.get(
    '/api/v1/templates/:key/:language',
    {
      config: { access: 'templates.view' },
      schema: {
        tags,
        summary: 'One template: subject, text and HTML bodies, letter text',
        params: KeyParams,
        response: { 200: TemplateOut, ...problems },
      },
    },
    async (request) => {
      const t = await getTemplate(api.db, scopeOf(request).companyId, request.params.key, request.params.language);
      return { ...t, title: TEMPLATE_TITLES[t.key][t.language] };
    },
  );

  api.put(
    '/api/v1/templates/:key/:language',
    {
      config: { access: 'templates.edit' },
      schema: {
        tags,
        summary:
          'Save fields of a template; one that does not parse or names an unknown variable is refused (422, ' +
          'each error with its field and line)',
        params: KeyParams,
        body: DraftSchema,
        response: { 200: TemplateOut, ...problems },
      },
    },
    async (request) => {
      const { key, language } = request.params;
      const saved = await inTransaction(api.db, async (trx) => {
        const t = await saveTemplate(trx, scopeOf(request).companyId, { key, language, ...request.body }).catch(
          bodyIssues,
        );
        await audit(request, trx, 'template.saved', `${key}/${language}`, { fields: Object.keys(request.body) });
        return t;
      });
      return { ...saved, title: TEMPLATE_TITLES[saved.key][saved.language] };
    },
  );

  api.delete(
    '/api/v1/templates/:key/:language',
    {
      config: { access: 'templates.edit' },
      schema: {
        tags,
        summary: 'Back to the built-in template',
        params: KeyParams,
        response: { 200: TemplateOut, ...problems },
      },
    },
    async (request) => {
      const { key, language } = request.params;
      const t = await inTransaction(api.db, async (trx) => {
        const reset = await resetTemplate(trx, scopeOf(request).companyId, key, language);
        await audit(request, trx, 'template.reset', `${key}/${language}`);
        return reset;
      });
      return { ...t, title: TEMPLATE_TITLES[t.key][t.language] };
    },
  );

  api.post(
    '/api/v1/templates/:key/:language/preview',
    {
      config: { access: 'templates.view' },
      schema: {
        tags,
        summary:
          "Render a template (or a draft of its fields, not saved) with a customer's real data or sample data; " +
          'an unknown variable is a 422 naming it with its field and line',
        params: KeyParams,
        body: z
          .object({
            customerId: z.string().max(100).optional(),
            invoiceIds: z.array(z.string().max(100)).max(200).optional(),
            level: z.number().int().min(0).max(20).optional(),
            date: IsoDateSchema.optional(),
            draft: DraftSchema.optional(),
          })
          .default({}),
        response: {
          200: z.object({
            key: z.string(),
            language: z.string(),
            level: z.number().int(),
            customer: z.string(),
            to: z.array(z.string()),
            ...Fields,
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const { key, language } = request.params;
      const stored = await getTemplate(api.db, scope.companyId, key, language);
      const template = { ...stored, ...request.body.draft };
      const context = await previewContext(api.db, scope, key, language, request.body);
      let rendered;
      try {
        rendered = renderMessage(template, context, { strict: true });
      } catch (error) {
        bodyIssues(
          error instanceof AppError
            ? new AppError(
                error.code,
                error.message,
                error.issues.map((i) => ({ ...i, field: `draft.${i.field}` })),
              )
            : error,
        );
      }
      return {
        key,
        language,
        level: context.level.number,
        customer: context.customer.name,
        to: context.recipients,
        ...rendered,
      };
    },
  );

  api.post(
    '/api/v1/templates/test-send',
    {
      config: { access: 'templates.test-send' },
      schema: {
        tags,
        summary:
          'Test send ("recevoir un message test"): a step\'s message with sample or a customer\'s real data, ' +
          'to one address only, then the outbox is dispatched; nothing is recorded in the history',
        body: z.object({
          level: z.number().int().min(0).max(20),
          to: z.string().min(3).max(320),
          customerId: z.string().max(100).optional(),
          language: z.enum(['fr', 'en']).optional(),
          date: IsoDateSchema.optional(),
          template: z
            .enum(TEMPLATE_KEYS)
            .optional()
            .describe('the template to send (template editor); without it, the template of step `level`'),
          policy: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe("the policy whose step `level` is tested (step editor); default: the company's default"),
        }),
        response: { 202: z.object({ message: OutboxMessageSchema, dispatch: DispatchReportSchema }), ...problems },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { customerId, policy: policyName, ...rest } = request.body;
      let customerCode: string | undefined;
      if (customerId) {
        const customer = await getCustomer(api.db, scope.companyId, customerId);
        assertVisible(scope, customer, `customer with id ${customerId}`);
        customerCode = customer.code;
      }
      const company = await getCompany(api.db, scope.companyId);
      const message = await sendTestMessage(api.db, scope.companyId, {
        ...rest,
        customerCode,
        policyName,
        language: rest.language ?? (customerCode ? undefined : companyLanguage(company)),
      });
      await audit(request, api.db, 'mail.test_sent', message.id, { level: rest.level, to: rest.to });
      return reply
        .code(202)
        .send({ message: toMessageOut(message), dispatch: await dispatchAfter(api, scope.companyId, request.log) });
    },
  );
}
