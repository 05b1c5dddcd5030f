import { z } from 'zod';
import { TemplateKeySchema } from '../../templates/keys.ts';
import { draftReminder } from '../../mail/draft-reminder.ts';
import { actorOf, scopeOf } from '../auth.ts';
import type { ZodApi } from '../context.ts';
import { RunSchema } from '../dunning-schemas.ts';
import { IsoDateSchema, problems } from '../schemas.ts';
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
    async (request) => draftReminder(api.db, scopeOf(request), request.body),
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
