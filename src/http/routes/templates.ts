import { z } from 'zod';
import type { Language } from '../../domain/ledger.ts';
import { AppError } from '../../shared/errors.ts';
import { getTemplate, listTemplates } from '../../templates/stored.ts';
import { previewContext, type PreviewInput } from '../../templates/preview-context.ts';
import { TEMPLATE_KEYS, TEMPLATE_TITLES, type TemplateKey } from '../../templates/keys.ts';
import { renderMessage } from '../../templates/render.ts';
import { FILTERS, VARIABLES } from '../../templates/variables.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, problems } from '../schemas.ts';
import { DispatchReportSchema, OutboxMessageSchema, reportOut, toMessageOut } from '../outbox-schemas.ts';
import { editTemplate } from '../../templates/edit-template.ts';
import { restoreTemplate } from '../../templates/restore-template.ts';
import { sendStepTest } from '../../mail/send-step-test.ts';

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
      error.text,
    );
  }
  throw error;
}

type PreviewBody = { customerId?: string; invoiceIds?: string[]; level?: number; date?: string };

/** The preview's data as the body names it: invoices only with the customer they belong to. */
function previewInput(key: TemplateKey, language: Language, body: PreviewBody): PreviewInput {
  if (!body.customerId && body.invoiceIds?.length)
    throw new AppError(
      'invalid_input',
      'invoiceIds need a customerId.',
      [{ field: 'body.customerId', reason: 'required with invoiceIds', code: 'reason.needsCustomer' }],
      { key: 'problem.templates.invoicesNeedCustomer' },
    );
  return {
    key,
    language,
    customer: body.customerId ? { id: body.customerId } : undefined,
    invoices: body.invoiceIds?.length ? { ids: body.invoiceIds } : undefined,
    level: body.level,
    date: body.date,
  };
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
      const saved = await editTemplate(api.db, actorOf(request), { ...request.params, ...request.body }).catch(
        bodyIssues,
      );
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
      const t = await restoreTemplate(api.db, actorOf(request), request.params);
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
      const context = await previewContext(api.db, actorOf(request), previewInput(key, language, request.body));
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
                error.text,
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
      const { message, dispatch } = await sendStepTest(api.db, actorOf(request), request.body, {
        dataDir: api.dataDir,
        onError: (error) => request.log.error({ err: error }, 'dispatch failed'),
      });
      return reply.code(202).send({ message: toMessageOut(message), dispatch: reportOut(dispatch) });
    },
  );
}
