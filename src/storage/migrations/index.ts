import type { Migration, MigrationProvider } from 'kysely';
import * as ledger from './0001-ledger.ts';
import * as dunning from './0002-dunning.ts';
import * as templates from './0003-templates.ts';
import * as documents from './0004-documents.ts';
import * as mail from './0005-mail.ts';
import * as accounts from './0006-accounts.ts';
import * as integrations from './0007-integrations.ts';
import * as reports from './0008-reports.ts';
import * as invoiceCategories from './0009-invoice-categories.ts';
import * as invoiceCategoryCounts from './0010-invoice-category-counts.ts';
import * as leanerInvoiceIndexes from './0011-leaner-invoice-indexes.ts';
import * as invoiceOpenTotals from './0012-invoice-open-totals.ts';
import * as sendTimeCheck from './0013-send-time-check.ts';
import * as latePaymentLaw from './0014-late-payment-law.ts';
import * as installationAdminsInvitations from './0015-installation-admins-invitations.ts';
import * as companyIdentity from './0016-company-identity.ts';
import * as search from './0018-search.ts';
import * as customerActivities from './0019-customer-activities.ts';
import * as reminderStates from './0020-reminder-states.ts';
import * as outboxErrorCodes from './0021-outbox-error-codes.ts';
import * as chequeRemittances from './0035-cheque-remittances.ts';
import * as invoiceSortIndexes from './0036-invoice-sort-indexes.ts';
import * as numberPrefixCollation from './0038-number-prefix-collation.ts';
import * as customerPortal from './0039-customer-portal.ts';
import * as customerReplies from './0040-customer-replies.ts';
import * as searchCustomerIndex from './0041-search-customer-index.ts';
import * as portalSettings from './0042-portal-settings.ts';
import * as invoicePromiseIndex from './0043-invoice-promise-index.ts';
import * as customerSearchIndexCurrent from './0044-customer-search-index-current.ts';
import * as searchDataVersion from './0045-search-data-version.ts';
import * as portalAnswerMarks from './0050-portal-answer-marks.ts';
import * as communicationsRunIndex from './0052-communications-run-index.ts';
import * as searchWriters from './0054-search-writers.ts';
import * as customerSearchMerged from './0055-customer-search-merged.ts';

/** Migrations live in code (not read from a folder) so they run the same from tsx, a bundle or a test. */
const migrations: Record<string, Migration> = {
  '0001-ledger': ledger,
  '0002-dunning': dunning,
  '0003-templates': templates,
  '0004-documents': documents,
  '0005-mail': mail,
  '0006-accounts': accounts,
  '0007-integrations': integrations,
  '0008-reports': reports,
  '0009-invoice-categories': invoiceCategories,
  '0010-invoice-category-counts': invoiceCategoryCounts,
  '0011-leaner-invoice-indexes': leanerInvoiceIndexes,
  '0012-invoice-open-totals': invoiceOpenTotals,
  '0013-send-time-check': sendTimeCheck,
  '0014-late-payment-law': latePaymentLaw,
  '0015-installation-admins-invitations': installationAdminsInvitations,
  '0016-company-identity': companyIdentity,
  '0018-search': search,
  '0019-customer-activities': customerActivities,
  '0020-reminder-states': reminderStates,
  '0021-outbox-error-codes': outboxErrorCodes,
  '0035-cheque-remittances': chequeRemittances,
  '0036-invoice-sort-indexes': invoiceSortIndexes,
  '0038-number-prefix-collation': numberPrefixCollation,
  '0039-customer-portal': customerPortal,
  '0040-customer-replies': customerReplies,
  '0041-search-customer-index': searchCustomerIndex,
  '0042-portal-settings': portalSettings,
  '0043-invoice-promise-index': invoicePromiseIndex,
  '0044-customer-search-index-current': customerSearchIndexCurrent,
  '0045-search-data-version': searchDataVersion,
  '0050-portal-answer-marks': portalAnswerMarks,
  '0052-communications-run-index': communicationsRunIndex,
  '0054-search-writers': searchWriters,
  '0055-customer-search-merged': customerSearchMerged,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
