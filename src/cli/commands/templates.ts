import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadMessageContext, sampleContextFor } from '../../communications/load-context.ts';
import type { MessageContext } from '../../communications/message-context.ts';
import { todayIn, type IsoDate } from '../../domain/calendar.ts';
import { defaultPolicy } from '../../domain/dunning/policy.ts';
import { companyLanguage, type Company, type Language } from '../../domain/ledger.ts';
import { loadPolicies } from '../../dunning/load-inputs.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../../storage/database.ts';
import { getTemplate, listTemplates, resetTemplate, saveTemplate } from '../../storage/templates.ts';
import { isOpenInvoice } from '../../storage/open-invoice.ts';
import {
  TEMPLATE_FIELDS,
  TEMPLATE_TITLES,
  levelForTemplate,
  type TemplateField,
  type TemplateKey,
} from '../../templates/keys.ts';
import { renderMessage } from '../../templates/render.ts';
import { variablesMarkdown } from '../../templates/variables-doc.ts';
import { FILTERS, VARIABLES } from '../../templates/variables.ts';
import { withStore } from '../context.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { printJson, table } from '../format.ts';

function languageOption(value: string): Language {
  if (value !== 'fr' && value !== 'en') throw new InvalidArgumentError('use fr or en');
  return value;
}

function fieldOption(value: string): TemplateField {
  if (!(TEMPLATE_FIELDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`use ${TEMPLATE_FIELDS.join(', ')}`);
  return value as TemplateField;
}

type PreviewOptions = { lang?: Language; customer?: string; invoice?: string[]; date?: IsoDate; level?: number };

/** Real data for a customer (its open invoices unless named), else the sample data. */
async function previewContext(
  db: Db,
  company: Company,
  key: TemplateKey,
  options: PreviewOptions,
): Promise<MessageContext> {
  const date = options.date ?? todayIn(company.timeZone);
  if (!options.customer) {
    if (options.invoice?.length) throw new AppError('usage', '--invoice needs --customer.');
    const language = options.lang ?? companyLanguage(company);
    return sampleContextFor(company, language, options.level ?? levelForTemplate(defaultPolicy(), key), date);
  }
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'policy_id'])
    .where('company_id', '=', company.id)
    .where('code', '=', options.customer)
    .executeTakeFirst();
  if (!customer) throw new AppError('not_found', `No customer with code ${options.customer}.`);
  let invoices = db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('company_id', '=', company.id)
    .where('customer_id', '=', customer.id);
  invoices = options.invoice?.length
    ? invoices.where('number', 'in', options.invoice)
    : invoices.where(isOpenInvoice());
  const found = await invoices.orderBy('due_date').execute();
  const missing = (options.invoice ?? []).filter((n) => !found.some((f) => f.number === n));
  if (missing.length > 0)
    throw new AppError('not_found', `No invoice ${missing.join(', ')} for customer ${options.customer}.`);
  const quotes =
    key === 'relance-devis'
      ? await db
          .selectFrom('quotes')
          .select('id')
          .where('company_id', '=', company.id)
          .where('customer_id', '=', customer.id)
          .where('status', '=', 'pending')
          .execute()
      : [];
  const policies = await loadPolicies(db, company.id);
  const policy = (customer.policy_id && policies.byId.get(customer.policy_id)) || policies.fallback;
  return loadMessageContext(db, company.id, {
    customerId: customer.id,
    invoiceIds: found.map((f) => f.id),
    date,
    level: options.level ?? levelForTemplate(policy, key),
    language: options.lang,
    quoteIds: quotes.map((q) => q.id),
  });
}

export function templatesCommand(): Command {
  const templates = new Command('templates').description('message templates: e-mail subject and bodies, letter text');
  templates
    .command('list')
    .description('every template kind and language, and whether the company changed it')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const all = await listTemplates(store.db, company.id);
        if (options.json) {
          printJson(
            all.map((t) => ({
              key: t.key,
              language: t.language,
              title: TEMPLATE_TITLES[t.key][t.language],
              custom: t.custom,
              updatedAt: t.updatedAt,
            })),
          );
          return;
        }
        process.stdout.write(
          `${table(
            ['Key', 'Lang', 'Title', 'Version', 'Updated'],
            all.map((t) => [
              t.key,
              t.language,
              TEMPLATE_TITLES[t.key][t.language],
              t.custom ? 'custom' : 'default',
              t.updatedAt ?? '',
            ]),
          )}\n`,
        );
      });
    });
  templates
    .command('variables')
    .description('the variables and filters a template can use')
    .option('--json', 'print JSON')
    .option('--markdown', 'print the reference of docs/templates.md')
    .action((options: { json?: boolean; markdown?: boolean }) => {
      if (options.json) printJson({ variables: VARIABLES, filters: FILTERS });
      else if (options.markdown) process.stdout.write(variablesMarkdown());
      else
        process.stdout.write(
          `${table(
            ['Variable', 'Type', 'Description'],
            VARIABLES.map((v) => [v.name, v.type, v.fr]),
          )}\n`,
        );
    });
  templates
    .command('show')
    .description("print a template's fields as the company uses them")
    .argument('<key>', 'template kind, e.g. relance1')
    .option('--lang <fr|en>', "language (default: the company's)", languageOption)
    .option('--field <field>', 'only this field: subject, text, html or letter', fieldOption)
    .option('--json', 'print JSON')
    .action(
      async (key: string, options: { lang?: Language; field?: TemplateField; json?: boolean }, command: Command) => {
        await withStore(command, async (store, company) => {
          const template = await getTemplate(store.db, company.id, key, options.lang ?? companyLanguage(company));
          if (options.json) printJson(template);
          else if (options.field) process.stdout.write(template[options.field]);
          else
            printFields(template, `${template.key} (${template.language}, ${template.custom ? 'custom' : 'default'})`);
        });
      },
    );
  templates
    .command('set')
    .description("replace one field of a template with a file's content (refused if it does not parse)")
    .argument('<key>', 'template kind')
    .requiredOption('--lang <fr|en>', 'language', languageOption)
    .requiredOption('--field <field>', 'subject, text, html or letter', fieldOption)
    .requiredOption('--file <file>', "UTF-8 file holding the field's new text")
    .action(async (key: string, options: { lang: Language; field: TemplateField; file: string }, command: Command) => {
      let content: string;
      try {
        content = readFileSync(options.file, 'utf8');
      } catch (error) {
        throw new AppError('invalid_input', `Cannot read ${options.file}: ${(error as Error).message}.`);
      }
      // Editors end files with a newline; a subject must not carry it.
      if (options.field === 'subject') content = content.trim();
      await withStore(command, async (store, company) => {
        await saveTemplate(store.db, company.id, { key, language: options.lang, [options.field]: content });
        process.stdout.write(`Template ${key} (${options.lang}): ${options.field} saved.\n`);
      });
    });
  templates
    .command('reset')
    .description('go back to the built-in template')
    .argument('<key>', 'template kind')
    .requiredOption('--lang <fr|en>', 'language', languageOption)
    .action(async (key: string, options: { lang: Language }, command: Command) => {
      await withStore(command, async (store, company) => {
        await resetTemplate(store.db, company.id, key, options.lang);
        process.stdout.write(`Template ${key} (${options.lang}) is the built-in one again.\n`);
      });
    });
  templates
    .command('preview')
    .description("render a template with a customer's data, or sample data (unknown variables are errors)")
    .argument('<key>', 'template kind')
    .option('--lang <fr|en>', "language (default: the customer's, else the company's)", languageOption)
    .option('--customer <code>', "use this customer's real data")
    .option('--invoice <number...>', 'only these invoices of the customer (default: its open invoices)')
    .option('--date <date>', 'date of the message (default: today)', dateOption)
    .option(
      '--level <n>',
      "reminder level (default: the level using this template in the customer's policy)",
      countOption,
    )
    .option('--field <field>', 'only this field', fieldOption)
    .option('--json', 'print JSON (the rendered fields)')
    .action(
      async (key: string, options: PreviewOptions & { field?: TemplateField; json?: boolean }, command: Command) => {
        await withStore(command, async (store, company) => {
          const template = await getTemplate(store.db, company.id, key, options.lang ?? companyLanguage(company));
          const context = await previewContext(store.db, company, template.key, options);
          const language = context.language;
          const localized =
            language === template.language ? template : await getTemplate(store.db, company.id, key, language);
          const rendered = renderMessage(localized, context, { strict: true });
          if (options.json)
            printJson({
              key: localized.key,
              language,
              level: context.level.number,
              to: context.recipients,
              ...rendered,
            });
          else if (options.field) process.stdout.write(rendered[options.field]);
          else
            printFields(
              rendered,
              `${localized.key} (${language}) for ${context.customer.name}` +
                `${context.recipients.length ? ` <${context.recipients.join(', ')}>` : ''}`,
            );
        });
      },
    );
  return templates;
}

function printFields(fields: Record<TemplateField, string>, title: string): void {
  process.stdout.write(`${title}\n`);
  for (const field of TEMPLATE_FIELDS) {
    process.stdout.write(`\n== ${field}\n${fields[field].replace(/\n*$/, '')}\n`);
  }
}
