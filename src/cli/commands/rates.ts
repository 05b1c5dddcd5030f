import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { todayIn } from '../../domain/calendar.ts';
import { withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { words } from '../words.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';
import { dateOption } from '../parse-options.ts';

// The rates' use cases are loaded by the action that runs them, so that a usage error or --help does not pay
// for them.
const rateCases = () => import('../../dunning/late-payment-rates.ts');

const CLI_ACTOR = { userId: null, actor: 'cli' };

/** `relance rates`: the late-payment reference rates, shipped and the company's own. */
export function ratesCommand(): Command {
  const rates = new Command('rates').description(
    'late-payment reference rates: ECB, Bank of England, French legal rate',
  );

  rates
    .command('list')
    .description("every series with its values, dates and sources; the company's own values are marked")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { listRates } = await rateCases();
        const series = await listRates(store.db, company.id, words().language);
        if (options.json) {
          printJson({ series });
          return;
        }
        for (const s of series) {
          process.stdout.write(
            `${words().t('cli.out.rateSeries', {
              series: s.series.replace(/_/g, '-'),
              name: words().language === 'fr' ? s.fr : s.en,
              through: s.knownThrough,
              where: s.where,
            })}\n`,
          );
          process.stdout.write(
            `${table(
              ['from', 'rate', 'origin', 'source'].map((k) => words().t(`cli.out.column.${k}`)),
              s.values.map((v) => [
                formatIsoDate(v.from, words().language),
                words().t('cli.out.rateValue', { rate: v.rate }),
                words().t(
                  `cli.out.rateOrigin.${v.origin === 'company' ? 'company' : v.verified ? 'shipped' : 'unconfirmed'}`,
                ),
                v.source,
              ]),
              [1],
            )}\n\n`,
          );
        }
      });
    });

  rates
    .command('set')
    .description('record a value of a series from a date, with its source (overrides the shipped value of that date)')
    .argument('<series>', 'ecb-mro, boe-bank-rate, fr-legal-professional or fr-legal-individual')
    .requiredOption('--from <date>', 'the day the value took effect (1 January or 1 July for the French legal rate)')
    .requiredOption('--rate <percent>', 'the rate in percent, e.g. 2.40')
    .requiredOption('--source <text>', 'where it is published, e.g. "ECB press release of 11 June 2026"')
    .action(async (series: string, options: { from: string; rate: string; source: string }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { setRate } = await rateCases();
        await setRate(
          store.db,
          company.id,
          { series, from: options.from, rate: options.rate, source: options.source },
          CLI_ACTOR,
        );
        process.stdout.write(
          `${words().t('cli.out.rateRecorded', { series, rate: options.rate, from: options.from })}\n`,
        );
      });
    });

  rates
    .command('import')
    .description(
      'read the ECB Data Portal CSV export of the main refinancing rate (series FM.B.U2.EUR.4F.KR.MRR_FR.LEV)',
    )
    .argument('<file>', 'the CSV file downloaded from data.ecb.europa.eu')
    .option(
      '--as-of <date>',
      'the day the file was exported: the series counts as known up to it (default today)',
      dateOption,
    )
    .option('--json', 'print JSON')
    .action(async (file: string, options: { asOf?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { importEcbRates } = await rateCases();
        const result = await importEcbRates(
          store.db,
          company.id,
          readFileSync(file, 'utf8'),
          { asOf: options.asOf ?? todayIn(company.timeZone), fileName: basename(file), language: words().language },
          CLI_ACTOR,
        );
        if (options.json) printJson(result);
        else {
          process.stdout.write(
            `${words().t('cli.out.ecbImported', {
              count: result.added.length,
              values: result.added.length
                ? `${words().language === 'fr' ? ' : ' : ': '}${result.added
                    .map((a) => words().t('cli.out.ecbValue', { rate: a.rate, from: a.from }))
                    .join(', ')}`
                : '',
              through: result.knownThrough,
            })}\n`,
          );
        }
      });
    });
  return rates;
}
