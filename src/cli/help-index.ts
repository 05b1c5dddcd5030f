import { existsSync, readFileSync } from 'node:fs';
import { Command, Help } from 'commander';
import { COMMAND_MODULES } from './registry.ts';

/** One top-level command as `relance --help` lists it. */
export type HelpEntry = { name: string; term: string; description: string };

/** Where the compiled build keeps the list (written by scripts/build-cli.mjs beside lib/cli/main.js). */
export const HELP_INDEX = new URL('./help-index.json', import.meta.url);

/** Every top-level command's help line, from the command modules themselves (loads them all). */
export async function buildHelpIndex(): Promise<HelpEntry[]> {
  const help = new Help();
  const entries: HelpEntry[] = [];
  for (const module of COMMAND_MODULES) {
    for (const command of await module.load()) {
      entries.push({ name: command.name(), term: help.subcommandTerm(command), description: command.description() });
    }
  }
  return entries;
}

/**
 * The program's top-level help without loading any command module (PDF, mail, HTTP and database
 * libraries took most of a second): light commands carrying the saved help lines. Null without the index.
 */
export function helpOnlyCommands(): { commands: Command[]; terms: Map<string, string> } | null {
  if (!existsSync(HELP_INDEX)) return null;
  const entries = JSON.parse(readFileSync(HELP_INDEX, 'utf8')) as HelpEntry[];
  return {
    commands: entries.map((e) => new Command(e.name).description(e.description)),
    terms: new Map(entries.map((e) => [e.name, e.term])),
  };
}
