import type { TFunction } from 'i18next';
import { h } from './html.ts';
import type { PortalData } from './portal-page.ts';

export const FORMS = ['paid', 'promise', 'dispute', 'schedule'] as const;
export type FormName = (typeof FORMS)[number];
export const MEANS = ['transfer', 'cheque', 'card', 'direct_debit', 'other'] as const;
export const REASONS = ['amount', 'not_received', 'quality', 'already_paid', 'other'] as const;

/** A form sent back with its errors (already in the customer's language) and what the visitor typed. */
export type FormState = { form: FormName; errors: string[]; values: Record<string, string> };

function field(label: string, control: string): string {
  return `<label>${h(label)}</label>${control}`;
}

function input(name: string, type: string, value: string | undefined, extra = ''): string {
  return `<input name="${name}" type="${type}" value="${h(value ?? '')}"${extra}>`;
}

function select(name: string, options: [string, string][], value: string | undefined): string {
  return (
    `<select name="${name}">` +
    options
      .map(([v, label]) => `<option value="${h(v)}"${v === value ? ' selected' : ''}>${h(label)}</option>`)
      .join('') +
    '</select>'
  );
}

/**
 * The invoice list of a form. Every form lists the same invoices, so their options are written once per page and
 * only a form sent back with a choice is written again to mark it.
 */
type InvoiceOptions = { all: string; each: string; pairs: [string, string][] };

function invoiceOptions(t: TFunction, data: PortalData): InvoiceOptions {
  const pairs: [string, string][] = data.invoices.map((i) => [i.id, i.number]);
  return {
    all: `<option value="all">${h(t('portal.form.allInvoices'))}</option>`,
    each: pairs.map(([v, label]) => `<option value="${h(v)}">${h(label)}</option>`).join(''),
    pairs,
  };
}

function invoiceChoice(
  t: TFunction,
  data: PortalData,
  options: InvoiceOptions,
  value: string | undefined,
  all: boolean,
): string {
  const withAll = all && data.invoices.length > 1;
  const control =
    value === undefined
      ? `<select name="invoice">${withAll ? options.all : ''}${options.each}</select>`
      : select('invoice', withAll ? [['all', t('portal.form.allInvoices')], ...options.pairs] : options.pairs, value);
  return field(t('portal.form.invoice'), control);
}

/** The four answers a customer can give, each a plain form posting to its own address with its anti-forgery value. */
export function portalForms(
  t: TFunction,
  data: PortalData,
  base: string,
  state: FormState | null,
  csrf: Record<string, string>,
): string {
  const values = (form: FormName) => (state?.form === form ? state.values : {});
  const errors = (form: FormName) =>
    state?.form === form && state.errors.length > 0
      ? `<div class="errors" role="alert"><p>${h(t('portal.page.errorsTitle'))}</p><ul>${state.errors
          .map((e) => `<li>${h(e)}</li>`)
          .join('')}</ul></div>`
      : '';
  const form = (name: FormName, title: string, fields: string, multipart = false) =>
    `<details id="${name}"${state?.form === name ? ' open' : ''}><summary>${h(title)}</summary>${errors(name)}` +
    `<form method="post" action="${h(`${base}/${name}`)}"${multipart ? ' enctype="multipart/form-data"' : ''}>` +
    `<input type="hidden" name="csrf" value="${h(csrf[name] ?? '')}">${fields}` +
    `<button type="submit">${h(t('portal.page.send'))}</button></form></details>`;
  const options = invoiceOptions(t, data);
  const v = {
    paid: values('paid'),
    promise: values('promise'),
    dispute: values('dispute'),
    schedule: values('schedule'),
  };
  return [
    `<h2>${h(t('portal.page.answer'))}</h2>`,
    form(
      'paid',
      t('portal.form.paid.title'),
      invoiceChoice(t, data, options, v.paid.invoice, true) +
        field(t('portal.form.paid.date'), input('date', 'date', v.paid.date, ` max="${data.today}"`)) +
        field(t('portal.form.paid.amount'), input('amount', 'text', v.paid.amount, ' inputmode="decimal"')) +
        field(
          t('portal.form.paid.means'),
          select(
            'means',
            MEANS.map((m) => [m, t(`portal.means.${m}`)]),
            v.paid.means,
          ),
        ),
    ),
    form(
      'promise',
      t('portal.form.promise.title'),
      invoiceChoice(t, data, options, v.promise.invoice, true) +
        field(t('portal.form.promise.date'), input('date', 'date', v.promise.date, ` min="${data.today}"`)),
    ),
    form(
      'dispute',
      t('portal.form.dispute.title'),
      invoiceChoice(t, data, options, v.dispute.invoice, false) +
        field(
          t('portal.form.dispute.reason'),
          select(
            'reason',
            REASONS.map((r) => [r, t(`portal.reasons.${r}`)]),
            v.dispute.reason,
          ),
        ) +
        field(t('portal.form.dispute.message'), `<textarea name="message">${h(v.dispute.message)}</textarea>`) +
        field(t('portal.form.dispute.file'), '<input name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,.txt">'),
      true,
    ),
    form(
      'schedule',
      t('portal.form.schedule.title'),
      invoiceChoice(t, data, options, v.schedule.invoice, false) +
        field(
          t('portal.form.schedule.instalments'),
          `<textarea name="instalments">${h(v.schedule.instalments)}</textarea>`,
        ) +
        field(t('portal.form.schedule.message'), `<textarea name="message">${h(v.schedule.message)}</textarea>`),
    ),
  ].join('');
}
