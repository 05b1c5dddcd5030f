import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../../src/domain/dunning/engine.ts';
import { ChannelSchema, StepOriginSchema } from '../../src/domain/dunning/policy.ts';
import {
  CustomerKindSchema,
  InvoiceStatusSchema,
  LanguageSchema,
  PaymentMethodSchema,
  QuoteStatusSchema,
} from '../../src/domain/ledger.ts';
import { SHIPPED_SERIES } from '../../src/domain/late-payment/rate-data.ts';
import { addFormatters } from '../../src/i18n/formatters.ts';
import { catalogue, hasMessage, translator, type MessageLanguage } from '../../src/i18n/index.ts';
import { HEADER_ALIASES } from '../../src/import/header-aliases.ts';
import { INVOICE_EXPORT_COLUMNS } from '../../src/exports/invoice-list.ts';
import { ERROR_CODES } from '../../src/shared/errors.ts';
import type { OutboxStatus } from '../../src/storage/schema.ts';

const LANGUAGES: MessageLanguage[] = ['fr', 'en'];
// Typed as complete records: a status or reason added to the code without being listed here fails to compile.
const OUTBOX: Record<OutboxStatus, true> = {
  queued: true,
  sending: true,
  sent: true,
  failed: true,
  bounced: true,
  cancelled: true,
};
const REASONS: Record<ReasonCode, true> = {
  below_minimum: true,
  disputed: true,
  customer_paused: true,
  reply_unread: true,
  customer_blocked: true,
  promise_to_pay: true,
  payment_announced: true,
  out_of_cycle: true,
  not_yet_due: true,
  too_soon: true,
  no_contact: true,
  awaiting_dispatch: true,
};

function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the message catalogue', () => {
  it('has the same keys in French and English, every plural in both forms, and no "(s)" plural', () => {
    const fr = leaves(catalogue.fr);
    const en = leaves(catalogue.en);
    expect(en.map(([k]) => k)).toEqual(fr.map(([k]) => k));
    for (const [key, text] of [...fr, ...en]) {
      expect(text, key).not.toMatch(/\(s\)/);
      expect(text.trim(), key).not.toBe('');
      if (key.endsWith('_one'))
        expect(
          fr.some(([k]) => k === key.replace(/_one$/, '_other')),
          key,
        ).toBe(true);
    }
  });

  const walked: [string, string][] = [
    ...ERROR_CODES.map((c) => ['errors', c] as [string, string]),
    ...PaymentMethodSchema.options.map((v) => ['enums.paymentMethod', v] as [string, string]),
    ...ChannelSchema.options.map((v) => ['enums.channel', v] as [string, string]),
    ...InvoiceStatusSchema.options.map((v) => ['enums.invoiceStatus', v] as [string, string]),
    ...QuoteStatusSchema.options.map((v) => ['enums.quoteStatus', v] as [string, string]),
    ...CustomerKindSchema.options.map((v) => ['enums.customerKind', v] as [string, string]),
    ...LanguageSchema.options.map((v) => ['enums.language', v] as [string, string]),
    ...StepOriginSchema.options.map((v) => ['enums.stepOrigin', v] as [string, string]),
    ...Object.keys(OUTBOX).map((v) => ['enums.outboxStatus', v] as [string, string]),
    ...Object.keys(REASONS).map((v) => ['plan.reason', v] as [string, string]),
    ...INVOICE_EXPORT_COLUMNS.map((c) => ['exports.invoiceColumn', c] as [string, string]),
    ...[...new Set(Object.values(HEADER_ALIASES).flatMap((fields) => Object.keys(fields)))].map(
      (f) => ['import.field', f] as [string, string],
    ),
  ];
  it.each(LANGUAGES)('names every error code, enumeration value, plan reason and import field in %s', (language) => {
    const missing = walked
      .filter(([group, value]) => !hasMessage(language, `${group}.${value}`))
      .map(([g, v]) => `${g}.${v}`);
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGES)('has a %s text for every message code the source raises', (language) => {
    const codes = new Set<string>();
    for (const file of sourceFiles(join(import.meta.dirname, '../../src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/code: '((?:parse|import|reason)\.[\w.]+)'/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/reason\('([\w.]+)'/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/\{ key: '(\w+\.[\w.]+)'/g)) codes.add(m[1]!);
      // Any catalogue key written whole in the source (template reasons, ledger refusals, CLI texts…);
      // an audit row's action ('template.saved') is no message.
      if (!file.includes('/i18n/'))
        for (const line of text.split('\n').filter((l) => !/audit(By)?\(/i.test(l)))
          for (const m of line.matchAll(/'((?:template|ledger|cli)\.[\w.]*\w)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((code) => !hasMessage(language, code))).toEqual([]);
  });

  it('writes amounts and dates as the reader does, inside refusals too', () => {
    const params = { invoice: 'F1', currency: 'EUR', amount: 23659, balance: 10000, why: 'ledger.aboveBalance' };
    expect(translator('fr')('ledger.allocationRefused', params)).toBe(
      'Affectation refusée : 236,59\u00a0€ dépasse le solde de la facture F1 (100,00\u00a0€).',
    );
    expect(translator('en')('ledger.allocationRefused', params)).toBe(
      'Cannot allocate: €236.59 exceeds the balance of invoice F1 (€100.00).',
    );
    const schedule = { invoice: 'F1', sum: 20000, total: 30000, currency: 'EUR', why: 'ledger.scheduleSum' };
    expect(translator('fr')('ledger.scheduleRefused', schedule)).toContain('les échéances totalisent 200,00\u00a0€');
    const changed = { number: 'A1', total: 1234567, currency: 'EUR', date: '2026-03-15' };
    expect(translator('fr')('import.row.creditNoteChanged', changed)).toContain(
      '(12\u00a0345,67\u00a0€ le 15/03/2026)',
    );
  });

  it("says where each shipped reference rate is published in the reader's language, with its dates", () => {
    const values = Object.values(SHIPPED_SERIES).flatMap((series) => series.values);
    expect(values.length).toBeGreaterThan(50);
    for (const language of LANGUAGES) {
      const t = translator(language);
      const said = values.map((v) => t(v.cite.key, v.cite.params));
      expect(
        said.filter((text, i) => !hasMessage(language, values[i]!.cite.key) || /\$t\(|\{\{|\d{4}-\d\d/.test(text)),
      ).toEqual([]);
      if (language === 'fr')
        expect(said.filter((text) => /\b(decision|order|of|NOT|quoted|the|half)\b/.test(text))).toEqual([]);
      else expect(said.filter((text) => /\b(décision|arrêté|semestre|cité)\b/.test(text))).toEqual([]);
    }
    const first = SHIPPED_SERIES.ecb_mro.values[0]!;
    expect(translator('fr')(first.cite.key, first.cite.params)).toBe(
      'décision du Conseil des gouverneurs de la BCE du 10/03/2016',
    );
    const unconfirmed = SHIPPED_SERIES.fr_legal_individual.values.find((v) => !v.verified)!;
    expect(translator('fr')(unconfirmed.cite.key, unconfirmed.cite.params)).toBe(
      "arrêté fixant le taux de l'intérêt légal pour le second semestre 2026, 1° créances des personnes physiques : " +
        'NON CONFIRMÉ, cité par une seule source secondaire ; texte du JORF non vérifié',
    );
    expect(translator('fr')('cli.out.rateValue', { rate: '2.40' })).toBe('2,40');
  });

  it('makes real plural forms: one in French for 0 and 1, the plural from 2', () => {
    const fr = translator('fr');
    const en = translator('en');
    expect([0, 1, 2].map((count) => fr('import.summary.rows', { count }))).toEqual(['0 ligne', '1 ligne', '2 lignes']);
    expect([0, 1, 2].map((count) => en('import.summary.rows', { count }))).toEqual(['0 rows', '1 row', '2 rows']);
  });

  it('says a list of catalogue keys whole, on the server and in the web app (its `messages` namespace)', async () => {
    const params = { gaps: 'outbox.identity.senderEmail,outbox.identity.iban' };
    const server = translator('fr')('outbox.smtp.identity', params);
    expect(server).toMatch(/^l'identité de la société est incomplète, renseignez : l'adresse d'expédition .* ; l'IBAN/);
    const web = i18next.createInstance();
    await web.init({
      resources: { fr: { translation: {}, messages: catalogue.fr } },
      lng: 'fr',
      interpolation: { escapeValue: false },
    });
    addFormatters(web);
    expect(web.t('outbox.smtp.identity', { ns: 'messages', ...params })).toBe(server);
    const attachment = { why: 'problem.notFound.invoice', id: 'X1' };
    expect(web.t('outbox.errors.attachmentWhy', { ns: 'messages', ...attachment })).toBe(
      translator('fr')('outbox.errors.attachmentWhy', attachment),
    );
    expect(translator('fr')('outbox.errors.attachmentWhy', attachment)).toBe(
      "Pièce jointe impossible à produire : Aucune facture avec l'identifiant X1.",
    );
  });
});
