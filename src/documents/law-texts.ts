import type { Language } from '../domain/ledger.ts';
import type { RateBasis } from '../domain/late-payment/charges.ts';
import type { Law, NextStep } from '../domain/late-payment/law.ts';
import { formatRate } from '../domain/late-payment/rates.ts';

/**
 * How a letter names the late-payment law that governs it, in the letter's language: the text it cites, the rate
 * quoted ("taux BCE majoré de 10 points, soit 12,40 %"), the fixed indemnity, the mention every reminder carries,
 * and the court step a formal notice announces. Always the law the charges were computed under (law.ts), so the
 * figures and the words never disagree.
 */
export type LawTexts = {
  code: Law;
  citation: string;
  rateText: string | null;
  indemnityText: string | null;
  mention: string;
  nextStep: string;
};

type Kind = 'company' | 'individual';

const percent = (bp: number, language: Language) => {
  const text = formatRate(bp);
  return language === 'fr' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
};

const CITATION: Record<Language, Record<Law, Record<Kind, string>>> = {
  fr: {
    FR: { company: "l'article L441-10 du Code de commerce", individual: "l'article 1231-6 du Code civil" },
    DE: {
      company: 'les §§ 286 et 288 du Code civil allemand (BGB)',
      individual: 'les §§ 286 et 288 du Code civil allemand (BGB)',
    },
    GB: { company: 'le Late Payment of Commercial Debts (Interest) Act 1998', individual: 'la loi applicable' },
    EU: {
      company: 'la directive 2011/7/UE concernant la lutte contre le retard de paiement',
      individual: 'la loi applicable',
    },
  },
  en: {
    FR: {
      company: 'article L441-10 of the French Commercial Code',
      individual: 'article 1231-6 of the French Civil Code',
    },
    DE: {
      company: 'sections 286 and 288 of the German Civil Code (BGB)',
      individual: 'sections 286 and 288 of the German Civil Code (BGB)',
    },
    GB: { company: 'the Late Payment of Commercial Debts (Interest) Act 1998', individual: 'the applicable law' },
    EU: { company: 'Directive 2011/7/EU on combating late payment', individual: 'the applicable law' },
  },
};

const MENTION: Record<Language, Record<Law, Record<Kind, string>>> = {
  fr: {
    FR: {
      company:
        'Conformément aux articles L441-10 et D441-5 du Code de commerce, tout retard de paiement entraîne de plein droit ' +
        'des pénalités de retard et une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture.',
      individual:
        'Conformément à l’article 1231-6 du Code civil, les sommes dues portent intérêts au taux légal à compter ' +
        'de la mise en demeure.',
    },
    DE: {
      company:
        'Conformément aux §§ 286 et 288 du Code civil allemand (BGB), tout retard de paiement entraîne des intérêts de ' +
        'retard au taux de base majoré de 9 points et une indemnité forfaitaire de 40\u00a0€ par facture.',
      individual:
        'Conformément aux §§ 286 et 288 du Code civil allemand (BGB), les sommes dues portent intérêts au taux de base ' +
        'majoré de 5 points à compter de notre première relance.',
    },
    GB: {
      company:
        'Conformément au Late Payment of Commercial Debts (Interest) Act 1998, tout retard de paiement ouvre droit à des ' +
        'intérêts de retard et à une indemnité forfaitaire de recouvrement par facture (40, 70 ou 100\u00a0£ selon son montant).',
      individual: '',
    },
    EU: {
      company:
        'Conformément à la directive 2011/7/UE concernant la lutte contre le retard de paiement, tout retard de paiement ' +
        'entraîne des intérêts de retard et une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ par facture.',
      individual: '',
    },
  },
  en: {
    FR: {
      company:
        'Under articles L441-10 and D441-5 of the French Commercial Code, any late payment automatically incurs late-payment ' +
        'interest and a fixed compensation of €40 per invoice for recovery costs.',
      individual:
        'Under article 1231-6 of the French Civil Code, the sums due bear interest at the legal rate from the formal notice.',
    },
    DE: {
      company:
        'Under sections 286 and 288 of the German Civil Code (BGB), any late payment incurs interest at the base rate plus ' +
        '9 points and a fixed compensation of €40 per invoice.',
      individual:
        'Under sections 286 and 288 of the German Civil Code (BGB), the sums due bear interest at the base rate plus 5 points ' +
        'from our first reminder.',
    },
    GB: {
      company:
        'Under the Late Payment of Commercial Debts (Interest) Act 1998, late payment entitles us to statutory interest and ' +
        'a fixed sum per invoice for recovery costs (£40, £70 or £100 by its amount).',
      individual: '',
    },
    EU: {
      company:
        'Under Directive 2011/7/EU on combating late payment, any late payment incurs late-payment interest and a fixed ' +
        'compensation of €40 per invoice for recovery costs.',
      individual: '',
    },
  },
};

const NEXT_STEP: Record<Language, Record<NextStep, string>> = {
  fr: {
    fr_injunction: 'une requête en injonction de payer devant le tribunal compétent',
    uk_county_court: 'une action en paiement devant la County Court (county court claim)',
    de_mahnverfahren:
      'une procédure d’injonction de payer devant le tribunal allemand compétent (gerichtliches Mahnverfahren)',
    eu_order: 'une procédure européenne d’injonction de payer (règlement (CE) n° 1896/2006)',
    court: 'une action en paiement devant la juridiction compétente',
  },
  en: {
    fr_injunction:
      'an application for an order for payment (requête en injonction de payer) before the competent French court',
    uk_county_court: 'a county court claim',
    de_mahnverfahren: 'a court order for payment in Germany (gerichtliches Mahnverfahren)',
    eu_order: 'a European order for payment (Regulation (EC) No 1896/2006)',
    court: 'proceedings for payment before the competent court',
  },
};

function rateText(basis: RateBasis, language: Language): string {
  const rate = percent(basis.bp, language);
  const fr = language === 'fr';
  switch (basis.kind) {
    case 'ecb':
      return fr
        ? `taux BCE majoré de ${basis.points} points, soit ${rate}`
        : `the ECB rate plus ${basis.points} points, i.e. ${rate}`;
    case 'legal':
      return fr ? `taux de l'intérêt légal, soit ${rate}` : `the French legal interest rate, i.e. ${rate}`;
    case 'de_base':
      return fr
        ? `taux de base allemand majoré de ${basis.points} points, soit ${rate}`
        : `the German base rate plus ${basis.points} points, i.e. ${rate}`;
    case 'boe':
      return fr
        ? `taux de référence de la Banque d'Angleterre majoré de ${basis.points} points, soit ${rate}`
        : `the Bank of England reference rate plus ${basis.points} points, i.e. ${rate}`;
    case 'contract':
      return fr ? `taux contractuel de ${rate}` : `the contract rate of ${rate}`;
    case 'contract_floor':
      return fr
        ? `taux de trois fois le taux de l'intérêt légal, soit ${rate}`
        : `three times the French legal interest rate, i.e. ${rate}`;
  }
}

function indemnityText(law: Law, kind: Kind, language: Language): string | null {
  if (kind === 'individual') return null;
  if (law === 'GB')
    return language === 'fr'
      ? '40, 70 ou 100\u00a0£ par facture selon son montant'
      : '£40, £70 or £100 per invoice by its amount';
  return language === 'fr' ? '40\u00a0€ par facture' : '€40 per invoice';
}

export function lawTexts(options: {
  law: Law;
  kind: Kind;
  language: Language;
  basis: RateBasis | null;
  nextStep: NextStep;
}): LawTexts {
  const { law, kind, language } = options;
  return {
    code: law,
    citation: CITATION[language][law][kind],
    rateText: options.basis ? rateText(options.basis, language) : null,
    indemnityText: indemnityText(law, kind, language),
    mention: MENTION[language][law][kind],
    nextStep: NEXT_STEP[language][options.nextStep],
  };
}

/** The late-payment mention of a letter under a law, empty where that law gives a consumer nothing to cite. */
export function legalMention(language: Language, kind: Kind, law: Law): string {
  return MENTION[language][law][kind];
}
