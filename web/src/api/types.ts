// The API's own zod schemas give the web its types: a renamed field breaks the type-check, not the screen.
import type { z } from 'zod';
import type { AuditEntrySchema, MemberSchema, SessionInfoSchema } from '../../../src/http/account-schemas.ts';
import type { PlanSchema, PolicySchemaOut, RunSchema } from '../../../src/http/dunning-schemas.ts';
import type {
  CompanySchema,
  ContactSchema,
  CustomerDetailSchema,
  CustomerListItemSchema,
  ImportReportSchema,
  InvoiceDetailSchema,
  InvoiceListItemSchema,
  PaymentListItemSchema,
  ProblemSchema,
  ReminderItemSchema,
  TotalsSchema,
} from '../../../src/http/schemas.ts';
import type { InvoiceQuery } from '../../../src/http/invoice-query.ts';

export type SessionInfo = z.infer<typeof SessionInfoSchema>;
export type Company = z.infer<typeof CompanySchema>;
export type CustomerListItem = z.infer<typeof CustomerListItemSchema>;
export type CustomerDetail = z.infer<typeof CustomerDetailSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type InvoiceListItem = z.infer<typeof InvoiceListItemSchema>;
export type InvoiceDetail = z.infer<typeof InvoiceDetailSchema>;
export type Totals = z.infer<typeof TotalsSchema>['totals'];
export type Plan = z.infer<typeof PlanSchema>;
export type Run = z.infer<typeof RunSchema>;
export type Policy = z.infer<typeof PolicySchemaOut>;
export type ReminderItem = z.infer<typeof ReminderItemSchema>;
export type Member = z.infer<typeof MemberSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type PaymentListItem = z.infer<typeof PaymentListItemSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
export type InvoiceFilters = Omit<InvoiceQuery, 'asOf'>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Categories = {
  date: string;
  categories: {
    key: string;
    /** In the request's language; the app words a category from the fields below, so a language switch needs no refetch. */
    label: string;
    level: number | null;
    inProgress: boolean;
    stepLabels: string[];
    count: number;
    balance: Record<string, number>;
  }[];
};
export type BankReport = z.infer<typeof import('../../../src/http/integration-schemas.ts').BankReportSchema>;
export type EInvoiceReport = z.infer<typeof import('../../../src/http/integration-schemas.ts').EInvoiceReportSchema>;
export type { BankLineItem as BankLine } from '../../../src/integrations/bank/bank-lines.ts';
