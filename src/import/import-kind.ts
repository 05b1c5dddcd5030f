/**
 * The kinds of CSV file an import takes. A plain list, apart from the importer, so that `relance import` can
 * offer them as choices without loading the importer (and its storage) first.
 */
export const IMPORT_KINDS = ['customers', 'invoices', 'payments', 'credit-notes', 'quotes'] as const;
