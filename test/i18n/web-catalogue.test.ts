import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoleSchema } from '../../src/accounts/roles.ts';
import { PaymentMethodSchema } from '../../src/domain/ledger.ts';
import type { ActivityKind } from '../../src/storage/customer-activities.ts';
import type { OutboxStatus } from '../../src/storage/schema.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fr } from '../../web/src/i18n/fr.ts';

const WEB = join(import.meta.dirname, '../../web/src');
// Typed as complete records: a status or kind added to the code without being listed here fails to compile.
const OUTBOX: Record<OutboxStatus, true> = {
  queued: true,
  sending: true,
  sent: true,
  failed: true,
  bounced: true,
  cancelled: true,
};
const ACTIVITIES: Record<ActivityKind, true> = { note: true, call: true, task: true };

function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

const catalogues = { fr: new Map(leaves(fr)), en: new Map(leaves(en)) };
const has = (language: 'fr' | 'en', key: string) =>
  catalogues[language].has(key) || catalogues[language].has(`${key}_other`);

describe("the web app's catalogue", () => {
  it('has the same keys in French and English, both plural forms, and no "(s)" plural', () => {
    expect([...catalogues.en.keys()]).toEqual([...catalogues.fr.keys()]);
    for (const language of ['fr', 'en'] as const) {
      for (const [key, text] of catalogues[language]) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(text, `${language} ${key}`).not.toMatch(/\((e?s|es)\)/);
        if (key.endsWith('_one')) expect(has(language, key.replace(/_one$/, '')), key).toBe(true);
        if (key.endsWith('_other')) expect(catalogues[language].has(key.replace(/_other$/, '_one')), key).toBe(true);
      }
    }
  });

  const walked: string[] = [
    ...PaymentMethodSchema.options.map((v) => `invoice.methods.${v}`),
    ...RoleSchema.options.map((v) => `roles.${v}`),
    ...Object.keys(OUTBOX).map((v) => `outbox.statuses.${v}`),
    ...Object.keys(ACTIVITIES).map((v) => `customerPage.kinds.${v}`),
    ...['open', 'overdue', 'paid', 'cancelled', 'disputed'].map((v) => `filters.statuses.${v}`),
    ...['matched', 'unmatched', 'ignored'].map((v) => `bank.statuses.${v}`),
  ];
  it.each(['fr', 'en'] as const)('names every payment method, role and status the screens show in %s', (language) => {
    expect(walked.filter((key) => !has(language, key))).toEqual([]);
  });

  it.each(['fr', 'en'] as const)('has a %s text for every key the screens ask for by name', (language) => {
    const keys = new Set<string>();
    for (const file of sourceFiles(WEB)) {
      const text = readFileSync(file, 'utf8');
      // t('a.b') and t('a.b', …) without a namespace option: the namespaced ones read the server catalogue.
      for (const m of text.matchAll(/\bt\('([\w]+\.[\w.]+)'(\)|, \{(?![^}]*ns:)[^}]*\}\))/g)) keys.add(m[1]!);
    }
    expect(keys.size).toBeGreaterThan(200);
    expect([...keys].filter((key) => !has(language, key))).toEqual([]);
  });
});
