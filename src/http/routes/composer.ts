import { z } from 'zod';
import { loadMessageContext } from '../../communications/load-context.ts';
import { todayIn } from '../../domain/calendar.ts';
import { attachmentRefs } from '../../mail/compose.ts';
import { manualLevels } from '../../mail/manual.ts';
import { getMailSettings } from '../../mail/settings.ts';
import { AppError } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { getCompany } from '../../storage/companies.ts';
import { getCustomer } from '../../storage/customers.ts';
import { getTemplate } from '../../templates/stored.ts';
import { TemplateKeySchema, templateKeyForStep } from '../../templates/keys.ts';
import { renderMessage } from '../../templates/render.ts';
import { appendBlock, upcomingBlocks } from '../../communications/upcoming-block.ts';
import { actorOf, assertVisible, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { IsoDateSchema, problems, RunSchema } from '../schemas.ts';
import { customerInvoicesByIds, reminderRows } from '../../storage/message-selection.ts';
import { DispatchReportSchema, OutboxMessageSchema, reportOut, toMessageOut } from '../outbox-schemas.ts';
import { sendComposedReminder } from '../../mail/send-composed-reminder.ts';
import { sendSelectedReminders } from '../../dunning/send-selected-reminders.ts';

const tags = ['composer'];
const Addresses = z.array(z.string().min(3).max(320)).max(50);
const Selection = z.object({
  customerId: z.string().max(100),
  invoiceIds: z.array(z.string().max(100)).min(1).max(200),
});

export function composerRoutes(api: ZodApi): void {
  api.post(
    '/api/v1/composer/draft',
    {
      config: { access: 'reminders.draft' },
      schema: {
        tags,
        summary:
          "What the composer opens with for a customer's chosen invoices: the level reached, recipients, CC/BCC, " +
          "subject and message from the level's template, and the attachments (reminder letter, invoices)",
        body: Selection.extend({
          date: IsoDateSchema.optional(),
          template: TemplateKeySchema.optional().describe(
            'another template than the level\'s ("vous pouvez choisir le modèle")',
          ),
          narrow: z
            .boolean()
            .optional()
            .describe(
              'a preselection: invoices at several levels keep those of the most advanced one ' +
                'instead of being refused',
            ),
        }),
        response: {
          200: z.object({
            level: z.number().int(),
            label: z.string(),
            template: z.string(),
            to: z.array(z.string()),
            cc: z.array(z.string()),
            bcc: z.array(z.string()),
            subject: z.string(),
            message: z.string(),
            html: z.string(),
            upcoming: z
              .array(z.string())
              .describe('invoices chosen but not yet due: shown apart ("à échoir"), outside the totals, not recorded'),
            invoiceIds: z
              .array(z.string())
              .describe('the invoices the draft covers (demanded and à échoir); fewer than chosen after narrow'),
            attachments: z.array(z.string()),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const { customerId, invoiceIds } = request.body;
      const customer = await getCustomer(api.db, scope.companyId, customerId);
      assertVisible(scope, customer, `customer with id ${customerId}`);
      const company = await getCompany(api.db, scope.companyId);
      const date = request.body.date ?? todayIn(company.timeZone);
      const ids = invoiceIds.filter(isId);
      const owned = await customerInvoicesByIds(api.db, scope.companyId, customer.id, ids);
      const missing = invoiceIds.find((id) => !owned.some((o) => o.id === id));
      if (missing)
        throw new AppError('not_found', `No invoice with id ${missing} for customer ${customer.code}.`, [], {
          key: 'problem.notFound.invoicesOfCustomer',
          params: { numbers: missing, customer: customer.code },
        });
      const history = await reminderRows(api.db, scope.companyId, ids);
      // The level the manual send will record.
      // "Standard" (first sending) has no level: all chosen invoices, nothing recorded at a level (as sendManualReminder).
      const { policy, level, demanded, upcoming } =
        request.body.template === 'standard'
          ? { policy: null, level: 0, demanded: ids, upcoming: [] as string[] }
          : await manualLevels(api.db, scope.companyId, {
              customerId: customer.id,
              invoices: owned,
              history,
              date,
              language: company.locale === 'en' ? 'en' : 'fr',
              narrow: request.body.narrow,
            });
      const [context, settings] = await Promise.all([
        loadMessageContext(api.db, scope.companyId, {
          customerId: customer.id,
          invoiceIds: demanded,
          upcomingIds: upcoming,
          level,
          date,
        }),
        getMailSettings(api.db, scope.companyId),
      ]);
      const key = request.body.template ?? templateKeyForStep(policy!, level);
      const rendered = renderMessage(await getTemplate(api.db, scope.companyId, key, context.language), context, {
        strict: true,
      });
      // The à échoir block is added at sending, after the message (typed or not): the preview shows it, the editable text does not.
      const preview = appendBlock({ text: rendered.text, html: rendered.html }, upcomingBlocks(context));
      return {
        level,
        label: context.level.label,
        template: key,
        to: context.recipients,
        cc: settings.cc,
        bcc: settings.bcc,
        subject: rendered.subject,
        message: rendered.text,
        html: preview.html ?? rendered.html,
        upcoming: (context.upcoming ?? []).map((i) => i.number),
        invoiceIds: [...demanded, ...upcoming],
        attachments: attachmentRefs(context, rendered.letter, level === 0 ? { letter: false } : {}).map(
          (a) => a.filename,
        ),
      };
    },
  );

  api.post(
    '/api/v1/composer/send',
    {
      config: { access: 'reminders.send' },
      schema: {
        tags,
        summary:
          'Send a manual reminder: recorded in the history like an automatic one (each invoice moves to ' +
          'its next level, once a day), queued with its attachments in the same transaction, then the outbox is dispatched',
        body: Selection.extend({
          to: Addresses.min(1).optional(),
          cc: Addresses.optional(),
          bcc: Addresses.optional(),
          subject: z.string().min(1).max(300).optional(),
          message: z.string().min(1).max(50_000).optional(),
          template: TemplateKeySchema.optional(),
          attachments: z
            .object({
              letter: z.boolean().default(true),
              invoices: z.boolean().default(true),
              files: z
                .array(
                  z.object({
                    filename: z.string().min(1).max(200),
                    contentType: z.string().max(100).default('application/octet-stream'),
                    base64: z.string().max(1_400_000),
                  }),
                )
                .max(5)
                .default([]),
            })
            .optional(),
          date: IsoDateSchema.optional(),
        }),
        response: {
          201: z.object({
            communicationId: z.string(),
            level: z.number().int(),
            message: OutboxMessageSchema,
            dispatch: DispatchReportSchema,
          }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const { attachments, ...rest } = request.body;
      const sent = await sendComposedReminder(
        api.db,
        actorOf(request),
        {
          ...rest,
          attachments: attachments && {
            letter: attachments.letter,
            invoices: attachments.invoices,
            files: attachments.files.map((f) => ({
              filename: f.filename,
              contentType: f.contentType,
              content: Buffer.from(f.base64, 'base64'),
            })),
          },
        },
        { dataDir: api.dataDir, onError: (error) => request.log.error({ err: error }, 'dispatch failed') },
      );
      return reply.code(201).send({
        communicationId: sent.communicationId,
        level: sent.level,
        message: toMessageOut(sent.message),
        dispatch: reportOut(sent.dispatch),
      });
    },
  );

  api.post(
    '/api/v1/reminders/send',
    {
      config: { access: 'reminders.send' },
      schema: {
        tags,
        summary:
          '"Envoyer les relances" for a selection of invoices: records what the plan sends for them today (e-mails ' +
          "queued with their reminders, letters in the run's batch), then dispatches the outbox. dryRun shows it first.",
        body: z.object({
          invoiceIds: z.array(z.string().max(100)).min(1).max(5_000),
          dryRun: z.boolean().default(false),
          emailsAs: z
            .enum(['email', 'letter'])
            .default('email')
            .describe('letter: every reminder goes by post (e.g. no SMTP server)'),
        }),
        response: {
          200: z.object({
            run: RunSchema.nullable(),
            communications: z.number().int(),
            reminders: z.number().int(),
            emails: z.number().int(),
            letters: z.number().int(),
            smtpConfigured: z
              .boolean()
              .describe('false: no e-mail can leave; sending e-mails is refused before anything is recorded'),
            notSent: z.array(z.object({ invoice: z.string(), reason: z.string() })),
            dispatch: DispatchReportSchema.nullable(),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const result = await sendSelectedReminders(api.db, actorOf(request), request.body, {
        dataDir: api.dataDir,
        onError: (error) => request.log.error({ err: error }, 'dispatch failed'),
      });
      return { ...result, dispatch: result.dispatch && reportOut(result.dispatch) };
    },
  );
}
