import type { manualFr } from './manual-fr.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Why a reminder typed by hand (the composer, `relance remind`) is refused, in English: `problem.manual.*` keys. */
export const manualEn: Shape<typeof manualFr> = {
  noneDue: 'None of these invoices is due yet: a reminder can only ask for invoices past their due date.',
  severalLevels:
    'These invoices are at different reminder levels ({{levels}}): a reminder covers one level, send one per level.',
  typed: 'In $t(problem.manual.field.{{field}}), line {{line}}: $t({{why}}). Nothing was sent.',
  field: { subject: 'the subject', message: 'the message' },
};
