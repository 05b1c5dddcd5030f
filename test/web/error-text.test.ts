import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it, vi } from 'vitest';
import { en as messagesEn } from '../../src/i18n/en.ts';
import { fr as messagesFr } from '../../src/i18n/fr.ts';
import { ApiError } from '../../web/src/api/api-error.ts';
import { failureText } from '../../web/src/api/failure-text.ts';
import { issueReasonText } from '../../web/src/components/issue-text.ts';
import { en } from '../../web/src/i18n/en.ts';
import { fr } from '../../web/src/i18n/fr.ts';

const WEB = join(import.meta.dirname, '../../web/src');

/** The web app's translator, with the two namespaces it loads (its own words, and the server's catalogue). */
async function webTranslator(language: 'fr' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { fr: { translation: fr, messages: messagesFr }, en: { translation: en, messages: messagesEn } },
    lng: language,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
  });
  return i18n;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

describe('a failure as the web app tells it', () => {
  it("says the server's refusal from its catalogue key, in the reader's language, not the English detail", async () => {
    const refusal = new ApiError(
      422,
      'invalid_input',
      'bad.csv: 2 bad rows; nothing was imported.',
      [],
      'problem.import.badRows',
      {
        file: 'bad.csv',
        count: 2,
      },
    );
    expect(failureText(refusal, await webTranslator('fr'))).toBe(
      "bad.csv : 2 lignes incorrectes ; rien n'a été importé.",
    );
    expect(failureText(refusal, await webTranslator('en'))).toBe('bad.csv: 2 bad rows; nothing was imported.');
    // A plural message, and a field's plural reason, are found by their key too.
    const invalid = new ApiError(
      422,
      'invalid_input',
      'The request body is invalid: 3 problems.',
      [],
      'problem.http.invalidRequest',
      {
        count: 3,
      },
    );
    expect(failureText(invalid, await webTranslator('fr'))).toBe('Requête invalide : 3 problèmes.');
    const french = await webTranslator('fr');
    const issue = {
      field: 'body.name',
      reason: 'Too small: expected string to have >=2 characters',
      code: 'problem.validation.tooShort',
      params: { count: 2 },
    };
    expect(issueReasonText(issue, french.t, french)).toBe('au moins 2 caractères');
    // No key: the code's generic text.
    expect(failureText(new ApiError(404, 'not_found', 'No invoice with id 7'), await webTranslator('fr'))).toBe(
      'Introuvable',
    );
  });

  it('says an unreachable server and any other error from the catalogue, never their raw English text', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const french = await webTranslator('fr');
      expect(failureText(new TypeError('Failed to fetch'), french)).toBe('Service indisponible');
      const bug = failureText(new TypeError("Cannot read properties of undefined (reading 'map')"), french);
      expect(bug).toBe("Une erreur inattendue s'est produite ; rechargez la page puis réessayez.");
      expect(failureText('boom', french)).toBe(bug);
      expect(failureText(new Error('unreadable file'), await webTranslator('en'))).toBe(
        'Something unexpected went wrong; reload the page and try again.',
      );
      expect(quiet).toHaveBeenCalledTimes(4);
    } finally {
      quiet.mockRestore();
    }
  });

  it("shows no caught error's own text: every screen goes through errorText", () => {
    const raw =
      /String\((?:error|err|e|reason|failure)\)|\b(?:error|err|e)\??\.message\b|\(\s*(?:error|err|e)\s+as\s+Error\s*\)\.message|\.error\??\.message\b/;
    const offenders: string[] = [];
    for (const file of sourceFiles(WEB)) {
      // The one place that reads an error's text, to log it or to test it for a network failure.
      if (file.endsWith('/api/failure-text.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (raw.test(line)) offenders.push(`${relative(WEB, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
