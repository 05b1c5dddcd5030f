import { Help, type Argument, type Command, type Option } from 'commander';
import { cliHelpEn } from '../i18n/cli-help-en.ts';
import { cliHelpFr } from '../i18n/cli-help-fr.ts';
import { en } from '../i18n/en.ts';
import { fr } from '../i18n/fr.ts';
import { languageOf, type MessageLanguage } from '../i18n/language.ts';

// Global options that take a value, as declared on the program in main.ts.
const GLOBAL_WITH_VALUE = new Set(['--lang', '--db', '--company']);

/**
 * The language of the CLI's words: a `--lang` given before the command (after it, it may be a command's
 * own option, the language of a template), else the environment's locale.
 */
export function cliLanguage(args: string[], env: NodeJS.ProcessEnv = process.env): MessageLanguage {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--lang=')) return languageOf(arg.slice('--lang='.length), env);
    if (arg === '--lang') return languageOf(args[i + 1], env);
    if (GLOBAL_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) break;
  }
  return languageOf(undefined, env);
}

/**
 * The arguments without the messages' `--lang` given before the command. For a command with a `--lang` of its
 * own (a template's language) the program cannot declare one too (it would take the command's value), so the
 * language read by `cliLanguage` is taken out before commander sees it: `relance --lang fr templates set … --lang en`.
 */
export function withoutLeadingLang(args: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--lang=')) continue;
    if (arg === '--lang') {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return [...kept, ...args.slice(i)];
    kept.push(arg);
    if (GLOBAL_WITH_VALUE.has(arg) && i + 1 < args.length) kept.push(args[++i]!);
  }
  return kept;
}

/** The CLI's part of the catalogue in one language. */
export function cliTexts(language: MessageLanguage) {
  return language === 'en' ? en.cli : fr.cli;
}

/** `{{name}}` placeholders filled (the help and commander's errors are said without loading i18next). */
export function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Each command's, argument's and option's help from the catalogue, by its path ("import --dry-run"). */
function describeAll(command: Command, path: string, texts: Record<string, string>, helpText: string): void {
  const own = texts[path];
  if (own !== undefined) command.description(own);
  for (const argument of command.registeredArguments) {
    const text = texts[`${path} <${argument.name()}>`];
    if (text !== undefined) argument.description = text;
  }
  for (const option of command.options) {
    const text = texts[`${path} ${option.long ?? option.short}`];
    if (text !== undefined) option.description = text;
  }
  command.helpOption('-h, --help', helpText);
  // Only a command with sub-commands has a help command; naming it on another would add one.
  if (command.commands.length > 0) command.helpCommand('help [command]', helpText);
  for (const sub of command.commands) describeAll(sub, `${path} ${sub.name()}`, texts, helpText);
}

/**
 * Says the program's help in the reader's language: descriptions from the catalogue, commander's
 * titles ("Options :"), defaults and choices, and its usage errors.
 */
export function localizeProgram(program: Command, language: MessageLanguage): void {
  const cli = cliTexts(language);
  const texts = language === 'en' ? cliHelpEn : cliHelpFr;
  const titles: Record<string, string> = {
    'Usage:': cli.title.usage,
    'Arguments:': cli.title.arguments,
    'Options:': cli.title.options,
    'Global Options:': cli.title.globalOptions,
    'Commands:': cli.title.commands,
  };
  program.description(cli.program);
  for (const option of program.options) {
    const key = option.long?.slice(2);
    if (key === 'db' || key === 'company' || key === 'lang') option.description = cli[key];
  }
  program.helpOption('-h, --help', cli.help);
  program.helpCommand('help [command]', cli.help);
  for (const command of program.commands) describeAll(command, command.name(), texts, cli.help);
  // What commander appends to a description (its choices, its default), in the reader's words.
  const described = (item: Option | Argument, negate = false): string => {
    const extra: string[] = [];
    if (item.argChoices) extra.push(fill(cli.choices, { values: item.argChoices.join(', ') }));
    if (item.defaultValue !== undefined && !(negate && item.defaultValue === true)) {
      const value = item.defaultValueDescription ?? JSON.stringify(item.defaultValue);
      extra.push(fill(cli.default, { value }));
    }
    return extra.length > 0 ? `${item.description} (${extra.join(', ')})` : item.description;
  };
  const helpSettings: Partial<Help> = {
    styleTitle: (title: string) => titles[title] ?? title,
    optionDescription: (option: Option) => described(option, option.negate),
    argumentDescription: (argument: Argument) => described(argument),
  };
  // Commander's own terms ("import [options] <kind> <file>", "--db <file-or-url>") with the placeholders renamed.
  const base = new Help();
  const apply = (command: Command) => {
    const own = command.configureHelp();
    const subcommandTerm = own.subcommandTerm ?? ((sub: Command) => base.subcommandTerm(sub));
    command.configureHelp({
      ...own,
      ...helpSettings,
      subcommandTerm: (sub: Command) => placeholders(subcommandTerm(sub), language),
      commandUsage: (c: Command) => placeholders(base.commandUsage(c), language),
      optionTerm: (option: Option) => placeholders(base.optionTerm(option), language),
      argumentTerm: (argument: Argument) => placeholders(`<${base.argumentTerm(argument)}>`, language).slice(1, -1),
    });
    command.commands.forEach(apply);
  };
  apply(program);
}

/**
 * `<file>`, `[command]`, `<file.csv>`, `<number...>`, `<legal name>` with their names in the reader's words, and each
 * part of `<file.png|file.jpg>`, `<left,top,width,height>` or `<date:amount...>`; others (values typed as they are,
 * such as `<fr|en>`) as written.
 */
export function placeholders(text: string, language: MessageLanguage): string {
  const words: Record<string, string> = cliTexts(language).placeholder;
  const known = (name: string): string | undefined => (Object.hasOwn(words, name) ? words[name] : undefined);
  const word = (part: string): string => {
    const named = /^([a-zA-Z][a-zA-Z-]*)((?:\.[a-z]+)?(?:\.\.\.)?)$/.exec(part);
    const name = named ? known(named[1]!) : undefined;
    return name === undefined ? part : `${name}${named![2]}`;
  };
  return text.replace(
    /([<[])([a-zA-Z][a-zA-Z .|,:-]*?)((?:\.\.\.)?)([>\]])/g,
    (_whole, open: string, inner: string, dots: string, close: string) =>
      `${open}${
        known(inner) ??
        inner
          .split(/([|,:])/)
          .map(word)
          .join('')
      }${dots}${close}`,
  );
}

/** Commander's usage errors ("error: unknown option '--x'") in the reader's language. */
export function localizeUsageError(text: string, language: MessageLanguage): string {
  if (language === 'en') return text;
  const e = cliTexts(language).error;
  return text
    .replace(/error: unknown option '([^']*)'/, (_, name: string) => fill(e.unknownOption, { name }))
    .replace(/error: unknown command '([^']*)'/, (_, name: string) => fill(e.unknownCommand, { name }))
    .replace(/error: missing required argument '([^']*)'/, (_, name: string) =>
      fill(e.missingArgument, { name: placeholders(`<${name}>`, language).slice(1, -1) }),
    )
    .replace(/error: required option '([^']*)' not specified/, (_, name: string) =>
      fill(e.missingOption, { name: placeholders(name, language) }),
    )
    .replace(/error: option '([^']*)' argument missing/, (_, name: string) => fill(e.optionValue, { name }))
    .replace(/error: too many arguments.*/, e.tooMany)
    .replace(
      /error: command-argument value '([^']*)' is invalid for argument '([^']*)'\. Allowed choices are (.*)\./,
      (_, value: string, name: string, values: string) => fill(e.invalidChoice, { value, name, values }),
    )
    .replace(
      /error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\./,
      (_, name: string, value: string, values: string) => fill(e.invalidChoice, { value, name, values }),
    )
    .replace(/\(Did you mean (?:one of )?([^?]*)\?\)/, (_, name: string) => fill(e.didYouMean, { name }))
    .replace(
      /error: option '([^']*)' argument '([^']*)' is invalid\. (.*)/,
      (_, name: string, value: string, reason: string) =>
        fill(cliTexts(language).report.arg.invalid, { name, value, reason }),
    );
}
