import { Command, InvalidArgumentError } from 'commander';
import { type IsoDate } from '../../domain/calendar.ts';
import { companyLanguage, type Language } from '../../domain/ledger.ts';
import { AppError } from '../../shared/errors.ts';
import type { PreviewInput } from '../../templates/preview-context.ts';
import { TEMPLATE_FIELDS, TEMPLATE_TITLES, type TemplateField, type TemplateKey } from '../../templates/keys.ts';
import { cliActor, withStore } from '../context.ts';
import { countOption, dateOption } from '../parse-options.ts';
import { printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { readInput } from './integrations.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';

// The template engine and the stored templates are loaded by the action that uses them, so that a usage error or
// --help does not pay for them.
const stored = () => import('../../templates/stored.ts');

function languageOption(value: string): Language {
  if (value !== 'fr' && value !== 'en') throw new InvalidArgumentError(words().t('cli.report.arg.language'));
  return value;
}

function fieldOption(value: string): TemplateField {
  if (!(TEMPLATE_FIELDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(words().t('cli.report.arg.choose', { values: TEMPLATE_FIELDS.join(', ') }));
  return value as TemplateField;
}

type PreviewOptions = { lang?: Language; customer?: string; invoice?: string[]; date?: IsoDate; level?: number };

/** The preview's data as the options name it: invoices only with the customer they belong to. */
function previewInput(key: TemplateKey, options: PreviewOptions): PreviewInput {
  if (!options.customer && options.invoice?.length)
    throw new AppError('usage', '--invoice needs --customer.', [], { key: 'problem.cli.invoiceNeedsCustomer' });
  return {
    key,
    language: options.lang,
    customer: options.customer ? { code: options.customer } : undefined,
    invoices: options.invoice?.length ? { numbers: options.invoice } : undefined,
    level: options.level,
    date: options.date,
  };
}

export function templatesCommand(): Command {
  const templates = new Command('templates').description('message templates: e-mail subject and bodies, letter text');
  templates
    .command('list')
    .description('every template kind and language, and whether the company changed it')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { listTemplates } = await stored();
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
            ['key', 'language', 'title', 'version', 'updated'].map((k) => words().t(`cli.out.column.${k}`)),
            all.map((t) => [
              t.key,
              t.language,
              TEMPLATE_TITLES[t.key][t.language],
              words().t(t.custom ? 'cli.out.templateVersion.custom' : 'cli.out.templateVersion.default'),
              t.updatedAt ? formatIsoDate(t.updatedAt.slice(0, 10), words().language) : '',
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
    .action(async (options: { json?: boolean; markdown?: boolean }) => {
      const { FILTERS, VARIABLES } = await import('../../templates/variables.ts');
      if (options.json) printJson({ variables: VARIABLES, filters: FILTERS });
      else if (options.markdown)
        process.stdout.write((await import('../../templates/variables-doc.ts')).variablesMarkdown());
      else
        process.stdout.write(
          `${table(
            ['variable', 'type', 'description'].map((k) => words().t(`cli.out.column.${k}`)),
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
          const { getTemplate } = await stored();
          const template = await getTemplate(store.db, company.id, key, options.lang ?? companyLanguage(company));
          if (options.json) printJson(template);
          else if (options.field) process.stdout.write(template[options.field]);
          else
            printFields(
              template,
              words().t('cli.out.templateShown', {
                key: template.key,
                language: template.language,
                version: words().t(`cli.out.templateVersion.${template.custom ? 'custom' : 'default'}`),
              }),
            );
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
      // A missing file or a folder is said in the reader's language (readInput), not as Node's ENOENT.
      let content = new TextDecoder().decode(readInput(options.file));
      // Editors end files with a newline; a subject must not carry it.
      if (options.field === 'subject') content = content.trim();
      await withStore(command, async (store, company) => {
        const { saveTemplate } = await stored();
        await saveTemplate(store.db, company.id, { key, language: options.lang, [options.field]: content });
        process.stdout.write(
          `${words().t('cli.out.templateSaved', { key, language: options.lang, field: options.field })}\n`,
        );
      });
    });
  templates
    .command('reset')
    .description('go back to the built-in template')
    .argument('<key>', 'template kind')
    .requiredOption('--lang <fr|en>', 'language', languageOption)
    .action(async (key: string, options: { lang: Language }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { resetTemplate } = await stored();
        await resetTemplate(store.db, company.id, key, options.lang);
        process.stdout.write(`${words().t('cli.out.templateReset', { key, language: options.lang })}\n`);
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
          const { getTemplate } = await stored();
          const { previewContext } = await import('../../templates/preview-context.ts');
          const { renderMessage } = await import('../../templates/render.ts');
          const template = await getTemplate(store.db, company.id, key, options.lang ?? companyLanguage(company));
          const context = await previewContext(store.db, cliActor(company), previewInput(template.key, options));
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
              words().t('cli.out.templatePreview', {
                key: localized.key,
                language,
                customer: context.customer.name,
                recipients: context.recipients.length ? ` <${context.recipients.join(', ')}>` : '',
              }),
            );
        });
      },
    );
  return templates;
}

function printFields(fields: Record<TemplateField, string>, title: string): void {
  process.stdout.write(`${title}\n`);
  for (const field of TEMPLATE_FIELDS) {
    // The field by its label in the reader's words (`objet`, `texte`), as the web editor names it.
    process.stdout.write(`\n== ${words().t(`template.field.${field}`)}\n${fields[field].replace(/\n*$/, '')}\n`);
  }
}
