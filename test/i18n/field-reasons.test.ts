import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseCreditorId } from '../../src/integrations/sepa/identifiers.ts';
import { parsePolicy } from '../../src/domain/dunning/policy.ts';
import { fieldLabelKeys } from '../../src/i18n/field-label.ts';
import { fieldLabel, hasMessage, issueReason, type MessageLanguage } from '../../src/i18n/index.ts';
import { AppError, type FieldIssue } from '../../src/shared/errors.ts';
import { setCustomerLawByCode } from '../../src/dunning/customer-law.ts';
import { describeFieldIssue } from '../../src/cli/describe-error.ts';
import { PAYMENT_METHODS } from '../../src/import/import-payments.ts';
import { QUOTE_STATUSES } from '../../src/import/import-quotes.ts';
import { RowReader } from '../../src/import/row-reader.ts';

const KINDS_FOR_TEST = { company: 'company', particulier: 'individual' } as const;

const SRC = join(import.meta.dirname, '../../src');
const LANGUAGES: MessageLanguage[] = ['fr', 'en'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

type Found = { where: string; code: ts.Expression | null; field: ts.Expression | null; spread: boolean };

/**
 * Every object literal of the sources that is a field's refusal (`{ field, reason }`) or a failed parse
 * (`{ ok: false, reason }`), read with the TypeScript parser. The texts a command passes to the catalogue's
 * `t(…)` are messages, not refusals, and zod schemas describe a shape.
 */
function refusals(): Found[] {
  const found: Found[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file.includes('/i18n/')) continue;
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const props = new Map<string, ts.Expression>();
        let spread = false;
        for (const p of node.properties) {
          if (ts.isSpreadAssignment(p)) spread = true;
          else if (ts.isPropertyAssignment(p)) props.set(p.name.getText(source), p.initializer);
          else if (ts.isShorthandPropertyAssignment(p)) props.set(p.name.getText(source), p.name);
        }
        const reason = props.get('reason');
        const isSchema = reason !== undefined && /^z\./.test(reason.getText(source));
        const isMessageParams =
          ts.isCallExpression(node.parent) && /(^|\.)t$/.test(node.parent.expression.getText(source));
        const failedParse = props.get('ok')?.kind === ts.SyntaxKind.FalseKeyword;
        if (reason && !isSchema && !isMessageParams && (props.has('field') || failedParse)) {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          found.push({
            where: `${relative(SRC, file)}:${line}`,
            code: props.get('code') ?? null,
            field: props.get('field') ?? null,
            spread,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('every reason a field is refused for', () => {
  const all = refusals();

  it('names its catalogue key, so it is said in the reader language rather than in English alone', () => {
    expect(all.length).toBeGreaterThan(60);
    expect(all.filter((r) => r.code === null && !r.spread).map((r) => r.where)).toEqual([]);
  });

  it.each(LANGUAGES)('names a key the %s catalogue has', (language) => {
    const literal = all.flatMap((r) => (r.code && ts.isStringLiteralLike(r.code) ? [{ ...r, key: r.code.text }] : []));
    expect(literal.length).toBeGreaterThan(40);
    expect(literal.filter((r) => !hasMessage(language, r.key)).map((r) => `${r.where} ${r.key}`)).toEqual([]);
  });

  // The columns of a file format a reader has open (FEC, ECB and bank exports) are named as the file names them.
  const FILE_COLUMNS = ['CompteNum', 'Idevise', 'DATE', 'montant'];
  it.each(LANGUAGES)('names each field it refuses in %s words, never by its key or request path', (language) => {
    const named = all.flatMap((r) =>
      r.field && ts.isStringLiteralLike(r.field) ? [{ where: r.where, field: r.field.text }] : [],
    );
    expect(named.length).toBeGreaterThan(30);
    const unnamed = named.filter(
      (n) => !FILE_COLUMNS.includes(n.field) && !fieldLabelKeys(n.field).some((k) => hasMessage(language, k.key)),
    );
    expect(unnamed.map((n) => `${n.where} ${n.field}`)).toEqual([]);
    expect(fieldLabel('column 7', language)).toBe(language === 'fr' ? 'colonne 7' : 'column 7');
    expect(fieldLabel('(file)', language)).toBe(language === 'fr' ? 'fichier' : 'file');
    expect(fieldLabel('body.smtpUrl', language)).toBe(language === 'fr' ? 'serveur SMTP' : 'SMTP server');
    expect(fieldLabel('total_excl_tax', language)).toBe(language === 'fr' ? 'Montant HT' : 'Total excl. tax');
  });

  it('reads in French with its value, and in English', () => {
    const failed = parseCreditorId('FR00ZZZ');
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    const issue: FieldIssue = { field: 'creditorId', ...failed };
    expect(issueReason(issue, 'fr')).toBe(
      "« FR00ZZZ » n'est pas un identifiant créancier SEPA (FR + 2 chiffres + 3 caractères + identifiant national)",
    );
    expect(issueReason(issue, 'en')).toContain('"FR00ZZZ" is not a SEPA creditor identifier');
  });

  it("says a policy's problems in French, its own refinements included", () => {
    const refusal = (() => {
      try {
        parsePolicy({ name: '', steps: [{ delayDays: 5, from: 'previousStep', channels: ['email'] }] });
      } catch (error) {
        return error as AppError;
      }
      throw new Error('the policy was accepted');
    })();
    const reasons = refusal.issues.map((i) => `${i.field}: ${issueReason(i, 'fr')}`);
    expect(reasons).toContain('steps.0.from: la première étape ne peut pas compter depuis une relance précédente');
    expect(refusal.issues.every((i) => i.code !== undefined && hasMessage('fr', i.code))).toBe(true);
  });

  it("lists a closed column's accepted values in the reader's words, not as the enumeration's codes", () => {
    const refused = (field: string, value: string): FieldIssue => {
      const row = new RowReader(3, [value], new Map([[field, 0]]));
      const read = { kind: KINDS_FOR_TEST, method: PAYMENT_METHODS, status: QUOTE_STATUSES }[field]!;
      expect(row.choice(field, read)).toBeNull();
      return row.issues[0]!;
    };
    expect(issueReason(refused('method', 'bitcoin'), 'fr')).toBe(
      '« bitcoin » ne fait pas partie des valeurs admises (virement, chèque, CB, prélèvement, espèces ou autre)',
    );
    expect(issueReason(refused('status', 'peut-être'), 'fr')).toBe(
      '« peut-être » ne fait pas partie des valeurs admises (en attente, accepté ou refusé)',
    );
    expect(issueReason(refused('kind', 'asso'), 'en')).toBe(
      '"asso" is not one of the accepted values (company or individual)',
    );
  });

  it('names an unknown law in French', async () => {
    const refusal = await setCustomerLawByCode(null as never, 'c1', 'C1', 'XX').catch((error: AppError) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(issueReason((refusal as AppError).issues[0]!, 'fr')).toBe('loi inconnue (FR, DE, GB, EU ou default)');
  });

  it('is printed by the CLI with the field named in the reader language', () => {
    const issue: FieldIssue = { field: 'siret', value: '123', reason: 'a SIRET has 14 digits', code: 'reason.siret' };
    expect(describeFieldIssue(issue, 'fr')).toBe('SIRET : un SIRET a 14 chiffres et une clé valide');
    expect(describeFieldIssue(issue, 'en')).toBe('SIRET: a SIRET has 14 digits and a valid key');
  });
});

describe('a nested field of a refusal', () => {
  it('is said part by part, with its position counted from 1, and a file name is left whole', () => {
    expect(fieldLabel('steps.0.delayDays', 'fr')).toBe('étapes › n° 1 › délai (jours)');
    expect(fieldLabel('body.steps.1.label', 'en')).toBe('steps › no. 2 › label');
    expect(fieldLabel('x.xml', 'fr')).toBe('x.xml');
    expect(fieldLabel('body.smtpUrl', 'fr')).toBe('serveur SMTP');
  });
});
