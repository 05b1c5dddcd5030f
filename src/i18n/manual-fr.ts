/** Why a reminder typed by hand (the composer, `relance remind`) is refused, in French: `problem.manual.*` keys. */
export const manualFr = {
  noneDue: "Aucune de ces factures n'est échue : une relance ne peut réclamer que des factures arrivées à échéance.",
  severalLevels:
    'Ces factures sont à des niveaux de relance différents ({{levels}}) : une relance porte sur un seul niveau, envoyez-en une par niveau.',
  typed: "Dans $t(problem.manual.field.{{field}}), ligne {{line}} : $t({{why}}). Rien n'a été envoyé.",
  field: { subject: "l'objet", message: 'le message' },
};
