import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { hasMessage, translator, type MessageLanguage } from '../../src/i18n/index.ts';
import { AppError } from '../../src/shared/errors.ts';

const SRC = join(import.meta.dirname, '../../src');
const LANGUAGES: MessageLanguage[] = ['fr', 'en'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

type Construction = { where: string; text: ts.Expression | undefined };

/** Every `new AppError(…)` of the sources, read with the TypeScript parser (comments and strings cannot fool it). */
function constructions(): Construction[] {
  const found: Construction[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('AppError')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ where: `${relative(SRC, file)}:${line}`, text: node.arguments?.[3] });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The key an object literal `{ key: '…' }` names, or null when it is computed (a rethrow, a lookup). */
function literalKey(text: ts.Expression): string | null {
  if (!ts.isObjectLiteralExpression(text)) return null;
  for (const property of text.properties)
    if (
      ts.isPropertyAssignment(property) &&
      property.name.getText() === 'key' &&
      ts.isStringLiteralLike(property.initializer)
    )
      return property.initializer.text;
  return null;
}

describe('every refusal the application raises', () => {
  const all = constructions();

  it('is constructed with a catalogue message (key and params), not English alone', () => {
    expect(all.length).toBeGreaterThan(250);
    expect(all.filter((c) => c.text === undefined).map((c) => c.where)).toEqual([]);
  });

  it.each(LANGUAGES)('names a key the %s catalogue has', (language) => {
    const keyed = all.flatMap((c) => {
      const key = c.text ? literalKey(c.text) : null;
      return key ? [{ where: c.where, key }] : [];
    });
    expect(keyed.length).toBeGreaterThan(200);
    expect(keyed.filter((k) => !hasMessage(language, k.key)).map((k) => `${k.where} ${k.key}`)).toEqual([]);
  });

  it('requires the message in the type, so a refusal without one does not compile', () => {
    // Checked by `tsc --noEmit` (tests are type-checked): the directive fails once the message is optional again.
    // @ts-expect-error -- the catalogue message is required
    const untranslated = () => new AppError('not_found', 'No invoice.', []);
    expect(typeof untranslated).toBe('function');
    expect(new AppError('not_found', 'No invoice.', [], { key: 'problem.notFound.hidden' }).text).toEqual({
      key: 'problem.notFound.hidden',
    });
  });

  it('says refusals in French with French dates, amounts and names of states', () => {
    const fr = translator('fr');
    expect(fr('problem.notFound.planLevel', { date: '2026-03-15', level: 2 })).toBe(
      "Le plan du 15/03/2026 n'a rien à envoyer au niveau 2.",
    );
    expect(
      fr('problem.einvoice.allocated', { file: 'F1.xml', invoice: 'F1', amount: 123456, currency: 'EUR' }),
    ).toContain('a déjà reçu 1\u00a0234,56\u00a0€');
    expect(fr('problem.bank.alreadyDone', { id: 'b1', status: 'matched' })).toBe(
      'La ligne bancaire b1 est déjà rapprochée.',
    );
    expect(fr('problem.mail.notFailed', { id: 'm1', status: 'sent' })).toContain('« Envoyé »');
    expect(fr('problem.option', { option: '--date', why: 'parse.notDate', value: '31-02' })).toBe(
      "--date : « 31-02 » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)",
    );
    expect(fr('problem.option', { option: 'iban', why: 'problem.asWritten', text: 'as written' })).toBe(
      'iban : as written',
    );
    expect([1, 2].map((count) => fr('problem.policy.invalid', { count }))).toEqual([
      'Scénario de relance invalide : 1 problème.',
      'Scénario de relance invalide : 2 problèmes.',
    ]);
    expect(fr('problem.rates.missing', { name: 'Basiszinssatz', half: 'second', year: '2026' })).toContain(
      'Aucun Basiszinssatz enregistré pour le 2e semestre 2026 :',
    );
    expect(translator('en')('problem.sepa.dateNotAfter', { date: '2026-03-15', today: '2026-03-16' })).toBe(
      'The collection date 15 March 2026 must be after today (16 March 2026).',
    );
  });
});
