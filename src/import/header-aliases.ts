/**
 * The column names French and English accounting tools give each field of an import file, shared by
 * the CLI, the API and the web app's automatic mapping so that a file read by one is read by all.
 * Pure (no I/O): the web app imports it as is.
 */
export type ImportFileKind = 'customers' | 'invoices' | 'payments' | 'credit-notes' | 'quotes';

/**
 * Comparison form of a header: lower case, accents and punctuation gone, words joined by `_`, so that
 * `Date d'échéance`, `DATE ECHEANCE` and `date-echeance` compare equal to `date_d_echeance` / `date_echeance`.
 */
export function headerKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const COMMON = {
  customer: [
    'customer',
    'client',
    'code_client',
    'customer_code',
    'client_code',
    'ref_client',
    'reference_client',
    'compte_client',
    'tiers',
  ],
  sales_rep: [
    'sales_rep',
    'representant',
    'commercial',
    'vendeur',
    'salesperson',
    'sales_representative',
    'charge_d_affaires',
  ],
  currency: ['currency', 'devise', 'monnaie', 'currency_code'],
};

/** Per kind, per field, its accepted names in headerKey form; the field's own name comes first. */
export const HEADER_ALIASES: Record<ImportFileKind, Record<string, readonly string[]>> = {
  customers: {
    code: [
      'code',
      'code_client',
      'customer_code',
      'ref_client',
      'reference_client',
      'compte_client',
      'compte',
      'numero_client',
      'n_client',
      'no_client',
      'id_client',
    ],
    name: [
      'name',
      'nom',
      'raison_sociale',
      'client',
      'nom_client',
      'societe',
      'company',
      'customer_name',
      'denomination',
    ],
    kind: ['kind', 'type', 'type_client', 'nature', 'categorie', 'customer_type'],
    email: [
      'email',
      'e_mail',
      'mail',
      'courriel',
      'adresse_email',
      'adresse_e_mail',
      'email_facturation',
      'billing_email',
    ],
    siren: ['siren', 'siret', 'n_siren', 'n_siret', 'numero_siren', 'numero_siret'],
    vat: [
      'vat',
      'tva',
      'n_tva',
      'numero_tva',
      'tva_intracommunautaire',
      'n_tva_intracommunautaire',
      'vat_number',
      'tva_intracom',
    ],
    address1: ['address1', 'adresse', 'adresse_1', 'adresse1', 'address', 'address_1', 'address_line_1', 'rue'],
    address2: [
      'address2',
      'adresse_2',
      'adresse2',
      'complement_d_adresse',
      'complement_adresse',
      'address_2',
      'address_line_2',
    ],
    postcode: ['postcode', 'code_postal', 'cp', 'zip', 'zip_code', 'postal_code'],
    city: ['city', 'ville', 'commune', 'localite', 'town'],
    country: ['country', 'pays', 'code_pays', 'country_code'],
    language: ['language', 'langue', 'lang'],
    sales_rep: COMMON.sales_rep,
    phone: ['phone', 'telephone', 'tel', 'portable', 'mobile', 'phone_number'],
  },
  invoices: {
    number: [
      'number',
      'numero',
      'numero_facture',
      'n_facture',
      'no_facture',
      'num_facture',
      'facture',
      'n_piece',
      'numero_piece',
      'piece',
      'invoice',
      'invoice_number',
      'invoice_no',
      'reference',
      'ref_facture',
    ],
    customer: COMMON.customer,
    issue_date: [
      'issue_date',
      'date_facture',
      'date',
      'date_emission',
      'date_d_emission',
      'date_de_facture',
      'date_piece',
      'invoice_date',
    ],
    due_date: [
      'due_date',
      'date_echeance',
      'echeance',
      'date_d_echeance',
      'date_limite_de_paiement',
      'date_de_reglement_prevue',
      'due',
    ],
    total: [
      'total',
      'montant_ttc',
      'total_ttc',
      'ttc',
      'montant',
      'amount',
      'total_amount',
      'amount_incl_tax',
      'total_incl_tax',
      'net_a_payer',
    ],
    currency: COMMON.currency,
    total_excl_tax: ['total_excl_tax', 'montant_ht', 'total_ht', 'ht', 'amount_excl_tax', 'net_amount', 'subtotal'],
    title: ['title', 'libelle', 'objet', 'designation', 'intitule', 'description', 'label'],
    sales_rep: COMMON.sales_rep,
  },
  payments: {
    invoice: [
      'invoice',
      'facture',
      'numero_facture',
      'n_facture',
      'no_facture',
      'num_facture',
      'invoice_number',
      'piece',
    ],
    date: [
      'date',
      'date_reglement',
      'date_de_reglement',
      'date_paiement',
      'date_de_paiement',
      'date_encaissement',
      'payment_date',
    ],
    amount: ['amount', 'montant', 'montant_regle', 'montant_encaisse', 'montant_paye', 'montant_ttc', 'paid'],
    method: [
      'method',
      'mode_de_reglement',
      'mode_reglement',
      'mode_de_paiement',
      'mode_paiement',
      'moyen_de_paiement',
      'reglement',
      'payment_method',
    ],
    reference: [
      'reference',
      'ref',
      'reference_paiement',
      'reference_bancaire',
      'n_cheque',
      'numero_cheque',
      'payment_reference',
    ],
  },
  'credit-notes': {
    number: ['number', 'numero', 'numero_avoir', 'n_avoir', 'no_avoir', 'avoir', 'credit_note', 'credit_note_number'],
    customer: COMMON.customer,
    date: ['date', 'date_avoir', 'date_emission', 'date_d_emission', 'credit_note_date'],
    total: ['total', 'montant_ttc', 'total_ttc', 'ttc', 'montant', 'amount'],
    invoice: [
      'invoice',
      'facture',
      'numero_facture',
      'n_facture',
      'facture_d_origine',
      'facture_origine',
      'invoice_number',
    ],
    reason: ['reason', 'motif', 'raison', 'libelle', 'objet'],
  },
  quotes: {
    number: ['number', 'numero', 'numero_devis', 'n_devis', 'no_devis', 'devis', 'quote', 'quote_number'],
    customer: COMMON.customer,
    date: ['date', 'date_devis', 'date_emission', 'date_d_emission', 'quote_date'],
    valid_until: [
      'valid_until',
      'validite',
      'date_de_validite',
      'date_validite',
      'valable_jusqu_au',
      'expiration',
      'date_d_expiration',
      'expiry_date',
    ],
    total: ['total', 'montant_ttc', 'total_ttc', 'ttc', 'montant', 'amount'],
    currency: COMMON.currency,
    status: ['status', 'statut', 'etat', 'state'],
  },
};

export type HeaderMatch = {
  /** Field → index of the file's column holding it. */
  columns: Map<string, number>;
  /** Headers of the file no field reads. */
  ignored: string[];
  /** Fields two columns of the file claim, with the headers claiming them. */
  ambiguous: { field: string; headers: string[] }[];
};

/**
 * Which column of the file holds each field. An explicit `mapping` (field → header, as chosen in the web
 * app) wins; every other field takes the column whose name is one of its aliases, its own name first,
 * and a column serves one field only.
 */
export function matchHeaders(
  kind: ImportFileKind,
  headers: readonly string[],
  mapping: Readonly<Record<string, string | null>> = {},
): HeaderMatch {
  const fields = HEADER_ALIASES[kind];
  const keys = headers.map(headerKey);
  const columns = new Map<string, number>();
  const taken = new Set<number>();
  const ambiguous: HeaderMatch['ambiguous'] = [];
  for (const [field, header] of Object.entries(mapping)) {
    if (!(field in fields) || header === null) continue;
    const at = headers.indexOf(header);
    if (at >= 0 && !taken.has(at)) {
      columns.set(field, at);
      taken.add(at);
    }
  }
  const explicit = new Set(Object.keys(mapping));
  // Rank by alias position so `montant_ttc` goes to total before `montant` could, whatever the column order.
  for (let rank = 0; ; rank++) {
    let any = false;
    for (const [field, aliases] of Object.entries(fields)) {
      if (rank >= aliases.length) continue;
      any = true;
      if (columns.has(field) || explicit.has(field)) continue;
      const found = keys.flatMap((k, i) => (k === aliases[rank] && !taken.has(i) ? [i] : []));
      if (found.length > 1) ambiguous.push({ field, headers: found.map((i) => headers[i]!) });
      if (found.length > 0) {
        columns.set(field, found[0]!);
        taken.add(found[0]!);
      }
    }
    if (!any) break;
  }
  const ignored = headers.filter((h, i) => !taken.has(i) && h.trim() !== '');
  return { columns, ignored, ambiguous };
}

/** A stable name for a file's header line, under which the web app remembers the mapping chosen for it. */
export function layoutKey(kind: ImportFileKind, headers: readonly string[]): string {
  return `${kind}:${headers.map(headerKey).join('|')}`;
}
