/**
 * Which catalogue keys may name a refused field, best first, for the server, the CLI and the web app alike (pure:
 * the web imports it). A field is named as the code knows it: an import column (`due_date`), a request path
 * (`body.smtpUrl`, `query.cursor`, `steps.0.channels`), a position in a file (`column 7`) or the whole file or
 * document (`(file)`, `(policy)`). None of these forms is for a person to read, so each is looked up by its parts.
 */
export type FieldLabelKey = { key: string; params?: Record<string, string | number> };

const GROUPS = ['import.field', 'template.field', 'reason.field'];
const WHOLE: Record<string, string> = {
  '(file)': 'file',
  '(line)': 'line',
  '(policy)': 'policy',
  '(settings)': 'settings',
};

export function fieldLabelKeys(field: string): FieldLabelKey[] {
  const whole = WHOLE[field];
  if (whole) return [{ key: `reason.field.${whole}` }];
  const column = /^column (\d+)$/.exec(field);
  if (column) return [{ key: 'reason.field.column', params: { column: Number(column[1]) } }];
  // The request part a path starts with says where, not what: the field is the rest.
  const path = field.replace(/^(body|query|querystring|params)\./, '');
  const names = [
    path,
    ...path
      .split('.')
      .reverse()
      .filter((part) => !/^\d+$/.test(part)),
  ];
  return [...new Set(names)].flatMap((name) => GROUPS.map((group) => ({ key: `${group}.${name}` })));
}
