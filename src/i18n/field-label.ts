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
  // The request part a path starts with says where, not what: the field is the rest. Only the whole path and its
  // last part may name it: a parent's label alone ("steps" for steps.0.delayDays) would hide which field it is.
  const path = field.replace(/^(body|query|querystring|params)\./, '');
  const leaf = path.split('.').pop()!;
  return [...new Set([path, leaf])].flatMap((name) => GROUPS.map((group) => ({ key: `${group}.${name}` })));
}

/**
 * A nested path (`steps.0.delayDays`) said part by part: each name by its label (`label(name)`, null when it has
 * none), each position counted from 1, so the reader learns which item of which list is refused.
 */
export function nestedFieldLabel(field: string, label: (name: string) => string | null, item: (n: number) => string) {
  const path = field.replace(/^(body|query|querystring|params)\./, '');
  const parts = path.split('.');
  // Only a path the code wrote: from a request, or a labelled list with a position (a file named x.xml is no path).
  const written = path !== field || (label(parts[0]!) !== null && parts.some((part) => /^\d+$/.test(part)));
  if (parts.length < 2 || !written || !parts.every((part) => /^[A-Za-z_]\w*$|^\d+$/.test(part))) return null;
  return parts.map((part) => (/^\d+$/.test(part) ? item(Number(part) + 1) : (label(part) ?? part))).join(' › ');
}
