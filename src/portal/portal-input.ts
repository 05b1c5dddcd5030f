import type { TFunction } from 'i18next';
import { parseDate, type IsoDate } from '../domain/calendar.ts';
import { scheduleProblem, type Instalment } from '../domain/ledger.ts';
import { parseAmount } from '../domain/money.ts';
import { moneyText } from '../communications/format.ts';
import type { PortalInvoiceRow } from '../storage/portal-page.ts';
import { MEANS, REASONS, type FormName } from './portal-forms.ts';
import type { PortalData } from './portal-page.ts';

export type UploadedFile = { filename: string; mediaType: string; content: Buffer };
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const FILE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']);
const MAX_MESSAGE = 4000;

export type PaidAnswer = { form: 'paid'; invoices: PortalInvoiceRow[]; date: IsoDate; amount: number; means: string };
export type PromiseAnswer = { form: 'promise'; invoices: PortalInvoiceRow[]; date: IsoDate };
export type DisputeAnswer = {
  form: 'dispute';
  invoice: PortalInvoiceRow;
  reason: string;
  message: string;
  file: UploadedFile | null;
};
export type ScheduleAnswer = {
  form: 'schedule';
  invoice: PortalInvoiceRow;
  instalments: Instalment[];
  message: string | null;
};
export type PortalAnswerInput = PaidAnswer | PromiseAnswer | DisputeAnswer | ScheduleAnswer;

/**
 * Reads a form of the page into an answer, or lists what is wrong, each error naming its field in the customer's
 * language. Invoices are only those of the page (the customer's open ones): any other id is simply not there.
 */
export function readAnswer(
  t: TFunction,
  data: PortalData,
  form: FormName,
  fields: Record<string, string>,
  file: UploadedFile | null,
): { ok: true; answer: PortalAnswerInput } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const label = (key: string) => t(`portal.form.${key}`);
  const lang = data.customer.language;
  const invoicesOf = (all: boolean): PortalInvoiceRow[] => {
    const chosen = fields.invoice ?? '';
    if (all && chosen === 'all') return data.invoices;
    const one =
      data.invoices.find((i) => i.id === chosen) ?? (data.invoices.length === 1 ? data.invoices[0] : undefined);
    if (!one) errors.push(t('portal.error.choice', { field: label('invoice') }));
    return one ? [one] : [];
  };
  const dateOf = (key: string, field: string, when: 'past' | 'future'): IsoDate => {
    const text = (fields[key] ?? '').trim();
    if (text === '') {
      errors.push(t('portal.error.required', { field: label(field) }));
      return data.today;
    }
    const parsed = parseDate(text);
    if (!parsed.ok) {
      errors.push(t('portal.error.date', { field: label(field) }));
      return data.today;
    }
    if (when === 'past' && parsed.value > data.today)
      errors.push(t('portal.error.futureDate', { field: label(field) }));
    if (when === 'future' && parsed.value < data.today)
      errors.push(t('portal.error.pastDate', { field: label(field) }));
    return parsed.value;
  };
  const textOf = (key: string, field: string, required: boolean): string | null => {
    const text = (fields[key] ?? '').trim();
    if (text === '') {
      if (required) errors.push(t('portal.error.required', { field: label(field) }));
      return null;
    }
    if (text.length > MAX_MESSAGE) errors.push(t('portal.error.tooLong', { field: label(field), max: MAX_MESSAGE }));
    return text;
  };
  const result = (answer: PortalAnswerInput) =>
    errors.length > 0 ? ({ ok: false, errors } as const) : ({ ok: true, answer } as const);

  switch (form) {
    case 'paid': {
      const invoices = invoicesOf(true);
      const date = dateOf('date', 'paid.date', 'past');
      const currency = invoices[0]?.currency ?? 'EUR';
      const amountText = (fields.amount ?? '').trim();
      const amount = parseAmount(amountText, currency);
      if (amountText === '') errors.push(t('portal.error.required', { field: label('paid.amount') }));
      else if (!amount.ok || amount.value <= 0) errors.push(t('portal.error.amount', { field: label('paid.amount') }));
      const means = fields.means ?? '';
      if (!(MEANS as readonly string[]).includes(means))
        errors.push(t('portal.error.choice', { field: label('paid.means') }));
      return result({ form, invoices, date, amount: amount.ok ? amount.value : 0, means });
    }
    case 'promise': {
      const invoices = invoicesOf(true);
      const date = dateOf('date', 'promise.date', 'future');
      return result({ form, invoices, date });
    }
    case 'dispute': {
      const [invoice] = invoicesOf(false);
      const reason = fields.reason ?? '';
      if (!(REASONS as readonly string[]).includes(reason))
        errors.push(t('portal.error.choice', { field: label('dispute.reason') }));
      const message = textOf('message', 'dispute.message', true) ?? '';
      if (file) {
        if (!FILE_TYPES.has(file.mediaType)) errors.push(t('portal.error.fileType', { field: label('dispute.file') }));
        if (file.content.length > MAX_FILE_BYTES)
          errors.push(t('portal.error.fileSize', { field: label('dispute.file') }));
      }
      return result({ form, invoice: invoice!, reason, message, file });
    }
    case 'schedule': {
      const [invoice] = invoicesOf(false);
      const message = textOf('message', 'schedule.message', false);
      const lines = (fields.instalments ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (lines.length === 0) errors.push(t('portal.error.required', { field: label('schedule.instalments') }));
      const instalments: Instalment[] = [];
      lines.forEach((line, index) => {
        const match = /^(\S+)\s+(.+)$/.exec(line);
        const date = match ? parseDate(match[1]!) : null;
        const amount = match ? parseAmount(match[2]!, invoice?.currency ?? 'EUR') : null;
        if (!date?.ok || !amount?.ok || amount.value <= 0 || date.value < data.today) {
          errors.push(t('portal.error.line', { field: label('schedule.instalments'), line: index + 1 }));
          return;
        }
        instalments.push({ seq: index + 1, dueDate: date.value, amount: amount.value });
      });
      if (invoice && instalments.length === lines.length && lines.length > 0) {
        const balance = invoice.total - invoice.allocated;
        const sum = instalments.reduce((s, i) => s + i.amount, 0);
        if (sum !== balance)
          errors.push(
            t('portal.error.sum', {
              field: label('schedule.instalments'),
              sum: moneyText(sum, invoice.currency, lang).text,
              balance: moneyText(balance, invoice.currency, lang).text,
            }),
          );
        else if (scheduleProblem(balance, instalments, invoice.currency))
          errors.push(t('portal.error.line', { field: label('schedule.instalments'), line: lines.length }));
      }
      return result({ form, invoice: invoice!, instalments, message });
    }
  }
}
