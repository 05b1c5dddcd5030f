import { sql } from 'kysely';
import { z } from 'zod';
import type { MessageContext } from '../communications/message-context.ts';
import { invoiceCopyPdf } from '../documents/invoice-copy.ts';
import { renderLetterPdf } from '../documents/letter.ts';
import { statementPdf } from '../documents/statement.ts';
import { schedulePdf } from '../follow-ups/schedule-pdf.ts';
import { AppError, type MessageText } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import { getLetterSettings } from '../storage/documents.ts';
import type { OutgoingMail } from './transport.ts';

/**
 * What an outbox row says about its attachments. References, not bytes: the invoice's own PDF is
 * already stored (invoice_files) or is rebuilt from the invoice, which does not change once issued;
 * the letter is rebuilt from the context snapshot taken at enqueue time, so a retry attaches the same
 * letter as the first attempt even if a payment lands in between. Only files a person uploaded for a
 * manual reminder are stored as bytes, since nothing else holds them.
 */
export const AttachmentRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('invoice'), invoiceId: z.string(), filename: z.string() }),
  z.strictObject({ kind: z.literal('letter'), filename: z.string(), text: z.string(), context: z.unknown() }),
  z.strictObject({ kind: z.literal('file'), filename: z.string(), contentType: z.string(), base64: z.string() }),
  // The statement of account as of a date (relevé de compte), rebuilt from the ledger as of that date.
  z.strictObject({ kind: z.literal('statement'), customerCode: z.string(), date: z.string(), filename: z.string() }),
  // An invoice's payment schedule (échéancier) with what is left on each instalment as of that date.
  z.strictObject({ kind: z.literal('schedule'), invoiceNumber: z.string(), date: z.string(), filename: z.string() }),
]);
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;
export type ResolvedAttachment = OutgoingMail['attachments'][number];

/** Builders for what is not stored as bytes: the documents layer's, replaceable in tests. */
export type AttachmentBuilders = {
  invoiceCopy: (db: Db, companyId: string, invoiceId: string) => Promise<Buffer | Uint8Array>;
  letter: (db: Db, companyId: string, context: unknown, text: string) => Promise<Buffer | Uint8Array>;
  statement: (db: Db, companyId: string, customerCode: string, date: string) => Promise<Buffer | Uint8Array>;
  schedule?: (db: Db, companyId: string, invoiceNumber: string, date: string) => Promise<Buffer | Uint8Array>;
};

const documentBuilders: AttachmentBuilders = {
  invoiceCopy: invoiceCopyPdf,
  letter: async (db, companyId, context, text) =>
    renderLetterPdf(context as MessageContext, text, await getLetterSettings(db, companyId), { registered: false }),
  statement: (db, companyId, customerCode, date) => statementPdf(db, companyId, { customerCode, date }),
  schedule: schedulePdf,
};

/** A reference that cannot be turned into bytes: a permanent failure of that message, named. */
export class AttachmentError extends Error {
  /** Why, as a catalogue text: the outbox says it in its reader's language. */
  readonly text: MessageText;

  constructor(message: string, text: MessageText) {
    super(message);
    this.text = text;
  }
}

async function storedInvoicePdf(db: Db, companyId: string, invoiceId: string): Promise<Buffer | null> {
  if (isPostgres(db)) {
    // pg hands bytea over as hex text and decodes it in JavaScript, a measurable cost per 30 KB PDF;
    // base64 is decoded natively.
    const row = await db
      .selectFrom('invoice_files')
      .select(sql<string>`encode(content, 'base64')`.as('b64'))
      .where('company_id', '=', companyId)
      .where('invoice_id', '=', invoiceId)
      .executeTakeFirst();
    return row ? Buffer.from(row.b64, 'base64') : null;
  }
  const row = await db
    .selectFrom('invoice_files')
    .select(['content'])
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  // Both drivers already return a Buffer; copying 30 KB per e-mail would be pure waste.
  return row ? (Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content)) : null;
}

/** A document that cannot be made (invoice gone…) fails that message; an engine failure stays unexpected. */
async function built<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof AppError) throw new AttachmentError(error.message, error.text);
    throw error;
  }
}

/**
 * The attachments' bytes. `stored`: invoice PDFs already read (the dispatcher reads them with its claim); an
 * invoice not in it is looked up as usual.
 */
export async function resolveAttachments(
  db: Db,
  companyId: string,
  refs: unknown[],
  builders: AttachmentBuilders = documentBuilders,
  stored: ReadonlyMap<string, Buffer> | null = null,
): Promise<ResolvedAttachment[]> {
  const resolved: ResolvedAttachment[] = [];
  for (const raw of refs) {
    const parsed = AttachmentRefSchema.safeParse(raw);
    if (!parsed.success)
      throw new AttachmentError(`unreadable attachment reference ${JSON.stringify(raw).slice(0, 80)}`, {
        key: 'outbox.attachmentUnreadable',
      });
    const ref = parsed.data;
    if (ref.kind === 'file') {
      resolved.push({
        filename: ref.filename,
        contentType: ref.contentType,
        content: Buffer.from(ref.base64, 'base64'),
      });
      continue;
    }
    if (ref.kind === 'statement') {
      resolved.push({
        filename: ref.filename,
        contentType: 'application/pdf',
        content: Buffer.from(await built(() => builders.statement(db, companyId, ref.customerCode, ref.date))),
      });
      continue;
    }
    if (ref.kind === 'schedule') {
      const schedule = builders.schedule ?? schedulePdf;
      resolved.push({
        filename: ref.filename,
        contentType: 'application/pdf',
        content: Buffer.from(await built(() => schedule(db, companyId, ref.invoiceNumber, ref.date))),
      });
      continue;
    }
    if (ref.kind === 'invoice') {
      let content = stored?.get(ref.invoiceId) ?? (await storedInvoicePdf(db, companyId, ref.invoiceId));
      if (!content) content = Buffer.from(await built(() => builders.invoiceCopy(db, companyId, ref.invoiceId)));
      resolved.push({ filename: ref.filename, contentType: 'application/pdf', content });
      continue;
    }
    resolved.push({
      filename: ref.filename,
      contentType: 'application/pdf',
      content: Buffer.from(await built(() => builders.letter(db, companyId, ref.context, ref.text))),
    });
  }
  return resolved;
}

/** Checks references at enqueue time, so a bad one is refused before anything is recorded. */
export function checkAttachmentRefs(refs: unknown[]): AttachmentRef[] {
  return refs.map((raw, index) => {
    const parsed = AttachmentRefSchema.safeParse(raw);
    if (!parsed.success)
      throw new AppError('invalid_input', `attachments.${index}: not a valid attachment reference.`, [], {
        key: 'problem.mail.attachmentRef',
        params: { index: index + 1 },
      });
    return parsed.data;
  });
}
