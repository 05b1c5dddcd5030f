import { TEMPLATE_KEYS, TEMPLATE_TITLES } from './keys.ts';
import { FILTERS, VARIABLES } from './variables.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The reference part of docs/templates.md, generated from VARIABLES so the two cannot drift apart. */
export function variablesMarkdown(): string {
  const kinds = TEMPLATE_KEYS.map((key) => `| \`${key}\` | ${TEMPLATE_TITLES[key].fr} | ${TEMPLATE_TITLES[key].en} |`);
  const variables = VARIABLES.map(
    (v) => `| \`${v.name}\` | ${v.type}${v.nullable ? ' (peut être vide)' : ''} | ${cell(v.fr)} | ${cell(v.en)} |`,
  );
  const filters = FILTERS.map((f) => `| \`${f.name}\` | ${cell(f.fr)} | ${cell(f.en)} |`);
  return [
    '<!-- generated from src/templates/variables.ts by `relance templates variables --markdown`; test/templates keeps it in sync -->',
    '',
    '### Kinds',
    '',
    '| key | français | English |',
    '|---|---|---|',
    ...kinds,
    '',
    '### Variables',
    '',
    '| variable | type | description | description (en) |',
    '|---|---|---|---|',
    ...variables,
    '',
    '### Filters',
    '',
    '| filter | description | description (en) |',
    '|---|---|---|',
    ...filters,
    '',
  ].join('\n');
}
