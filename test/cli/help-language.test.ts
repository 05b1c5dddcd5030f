import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliLanguage, localizeUsageError, placeholders, withoutLeadingLang } from '../../src/cli/help-language.ts';
import { COMMAND_MODULES } from '../../src/cli/registry.ts';
import { cliHelpEn } from '../../src/i18n/cli-help-en.ts';
import { cliHelpFr } from '../../src/i18n/cli-help-fr.ts';
import { relance, workspace } from './support.ts';

/** Every command, argument and option with a help text, by the path the catalogue names it by. */
async function helpPaths(): Promise<string[]> {
  const paths: string[] = [];
  const walk = (command: Command, path: string) => {
    if (command.description()) paths.push(path);
    for (const a of command.registeredArguments) if (a.description) paths.push(`${path} <${a.name()}>`);
    for (const o of command.options) if (o.description) paths.push(`${path} ${o.long ?? o.short}`);
    for (const sub of command.commands) walk(sub, `${path} ${sub.name()}`);
  };
  for (const module of COMMAND_MODULES) for (const command of await module.load()) walk(command, command.name());
  return paths;
}

describe("the CLI's help and errors in the reader's language", () => {
  it('has a French and an English help text for every command, argument and option, and none for a gone one', async () => {
    const paths = await helpPaths();
    expect(paths.length).toBeGreaterThan(300);
    expect(paths.filter((p) => cliHelpFr[p] === undefined)).toEqual([]);
    expect(paths.filter((p) => cliHelpEn[p] === undefined)).toEqual([]);
    const known = new Set(paths);
    expect(Object.keys(cliHelpFr).filter((p) => !known.has(p))).toEqual([]);
    expect(Object.keys(cliHelpEn).filter((p) => !known.has(p))).toEqual([]);
  }, 60_000);

  // What a placeholder may keep as written: values typed as they are (<fr|en>, <on|off>), codes and formats.
  const AS_TYPED = new Set(
    'options fr en on off tls starttls none default HH MM n id url iban bic ics rum siren siret code date port e-mail'.split(
      ' ',
    ),
  );
  it('names every placeholder of every option and argument in French words, part by part', async () => {
    const terms: string[] = [];
    const walk = (command: Command) => {
      for (const a of command.registeredArguments) terms.push(`<${a.name()}${a.variadic ? '...' : ''}>`);
      for (const o of command.options) terms.push(o.flags);
      for (const sub of command.commands) walk(sub);
    };
    for (const module of COMMAND_MODULES) for (const command of await module.load()) walk(command);
    expect(terms.length).toBeGreaterThan(250);
    const translated = (name: string) => placeholders(`<${name}>`, 'fr') !== `<${name}>`;
    const english = terms.flatMap((term) =>
      [...term.matchAll(/[<[]([^<>[\]]+?)(?:\.\.\.)?[>\]]/g)].flatMap(([, inner]) => {
        if (translated(inner!)) return [];
        const parts = inner!.split(/[|,:]/).map((part) => part.replace(/\..*$/, ''));
        const left = parts.filter((part) => !AS_TYPED.has(part) && !translated(part));
        return left.length > 0 ? [`${term}: ${left.join(', ')}`] : [];
      }),
    );
    expect(english).toEqual([]);
    expect(placeholders('--logo <file.png|file.jpg>', 'fr')).toBe('--logo <fichier.png|fichier.jpg>');
    expect(placeholders('--window <left,top,width,height>', 'fr')).toBe('--window <gauche,haut,largeur,hauteur>');
    expect(placeholders('--instalment <date:amount...>', 'fr')).toBe('--instalment <date:montant...>');
    expect(placeholders('--name <legal name>', 'fr')).toBe('--name <raison sociale>');
    expect(placeholders('--lang <fr|en>', 'fr')).toBe('--lang <fr|en>');
    expect(placeholders('--logo <file.png|file.jpg>', 'en')).toBe('--logo <file.png|file.jpg>');
  }, 60_000);

  it('takes --lang before the command, else the locale; a command’s own --lang is not the messages’ language', () => {
    expect(cliLanguage(['--lang', 'en', 'invoices', 'list'], {})).toBe('en');
    expect(cliLanguage(['--db', 'x.db', '--lang=en', 'plan'], {})).toBe('en');
    expect(cliLanguage(['templates', 'show', 'relance1', '--lang', 'en'], { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(cliLanguage(['plan'], { LANG: 'en_GB.UTF-8' })).toBe('en');
    expect(cliLanguage(['plan'], {})).toBe('fr');
  });

  it('takes out only the messages’ --lang given before the command, the command’s own --lang stays', () => {
    expect(withoutLeadingLang(['--lang', 'fr', 'templates', 'set', 'relance1', '--lang', 'en'])).toEqual([
      'templates',
      'set',
      'relance1',
      '--lang',
      'en',
    ]);
    expect(withoutLeadingLang(['--db', 'x.db', '--lang=en', '--company', '2', 'templates', 'list'])).toEqual([
      '--db',
      'x.db',
      '--company',
      '2',
      'templates',
      'list',
    ]);
    expect(withoutLeadingLang(['templates', 'show', 'relance1', '--lang', 'en'])).toEqual([
      'templates',
      'show',
      'relance1',
      '--lang',
      'en',
    ]);
  });

  it('saves a template in one language while speaking the other: relance --lang fr templates set … --lang en', async () => {
    const w = workspace();
    const subject = w.file('subject.txt', 'Rappel en anglais');
    const saved = await w.run(
      '--lang',
      'fr',
      'templates',
      'set',
      'relance1',
      '--lang',
      'en',
      '--field',
      'subject',
      '--file',
      subject,
    );
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('Modèle relance1 (en) : objet enregistré.\n');
    const shown = await relance([
      '--lang',
      'en',
      '--db',
      w.db,
      'templates',
      'show',
      'relance1',
      '--lang',
      'en',
      '--field',
      'subject',
    ]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe('Rappel en anglais');
    const french = await w.run('templates', 'show', 'relance1', '--lang', 'fr', '--field', 'subject');
    expect(french.stdout).not.toContain('Rappel en anglais');
    const missing = await relance(['--lang', 'fr', '--db', w.db, 'templates', 'reset', 'relance1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('erreur : option obligatoire absente « --lang <fr|en> »');
  }, 120_000);

  it("says commander's usage errors in French", () => {
    expect(localizeUsageError("error: unknown option '--colour'\n(Did you mean --color?)\n", 'fr')).toBe(
      'erreur : option inconnue « --colour »\n(Vouliez-vous dire --color ?)\n',
    );
    expect(localizeUsageError("error: missing required argument 'file'\n", 'fr')).toBe(
      'erreur : argument obligatoire manquant « fichier »\n',
    );
    expect(
      localizeUsageError(
        "error: command-argument value 'widgets' is invalid for argument 'kind'. Allowed choices are customers, invoices.\n",
        'fr',
      ),
    ).toBe("erreur : « widgets » n'est pas une valeur admise pour « kind » (valeurs : customers, invoices)\n");
    expect(localizeUsageError("error: unknown option '--x'\n", 'en')).toBe("error: unknown option '--x'\n");
  });

  it('prints the help, a usage error and a failure in French for a French locale, in English with --lang en', async () => {
    const w = workspace();
    const help = await relance(['--help'], { LANG: 'fr_FR.UTF-8' });
    expect(help.stdout).toContain('Utilisation : relance [options] [commande]');
    expect(help.stdout).toContain('Commandes :');
    expect(help.stdout).toContain('importe un fichier CSV');
    expect(help.stdout).not.toContain('display help');
    const sub = await relance(['import', '--help'], { LANG: 'fr_FR.UTF-8' });
    expect(sub.stdout).toContain('affiche le rapport complet en JSON');
    expect(sub.stdout).toContain('Arguments :');
    // Commander's placeholders too: <kind> <file> are said <type> <fichier>.
    expect(sub.stdout).toContain('Utilisation : relance import [options] [commande] <type> <fichier>');
    expect(sub.stdout).toMatch(/\n {2}fichier +fichier CSV/);
    expect(sub.stdout).toContain('bank [options] <fichier>');
    const english = await relance(['--lang', 'en', 'import', '--help']);
    expect(english.stdout).toContain('print the full report as JSON');
    expect(english.stdout).toContain('Usage: relance import [options] [command] <kind> <file>');
    const wrong = await relance(['--lang', 'fr', 'invoices', 'list', '--bogus']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('erreur : option inconnue « --bogus »');
    const missing = await w.run('--lang', 'fr', 'import', 'invoices', `${w.dir}/absent.csv`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`relance : Impossible de lire ${w.dir}/absent.csv : fichier introuvable.`);
  }, 120_000);
});
