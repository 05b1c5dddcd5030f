import type { ColumnType, Selectable } from 'kysely';

/** A column inserts may leave out (it has a default or is filled later). */
type Optional<T> = ColumnType<T, T | undefined, T>;

/**
 * Row shapes as both dialects return them (the pg type parsers in database.ts make PostgreSQL agree
 * with SQLite): ids and dates are strings, money is integer cents, flags are 0/1 integers.
 */
export type CompanyTable = {
  id: string;
  legal_name: string;
  siren: string | null;
  vat_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postcode: string | null;
  city: string | null;
  country: string;
  iban: string | null;
  bic: string | null;
  currency: string;
  time_zone: string;
  locale: string;
  letterhead: string | null;
  is_default: number;
  auto_run: Optional<number>;
  /** Local time (HH:MM, the company's time zone) of the daily automatic run. */
  auto_run_time: Optional<string>;
  skip_weekends: Optional<number>;
  skip_holidays: Optional<number>;
  /** Payment-link URL pattern with {{ reference }} / {{ amount }} (messages). */
  payment_link_pattern: Optional<string | null>;
  /** Days a formal notice gives to pay (8 by default). */
  formal_notice_days: Optional<number>;
  legal_form: Optional<string | null>;
  /** Share capital in cents (capital social, printed on the letterhead). */
  share_capital: Optional<number | null>;
  siret: Optional<string | null>;
  /** Registry entry as printed, e.g. "RCS Lyon 732 829 320". */
  rcs: Optional<string | null>;
  phone: Optional<string | null>;
  /** Sender of e-mails when the mail settings name none. */
  sender_name: Optional<string | null>;
  sender_email: Optional<string | null>;
  /** 1 while the ledger is demonstration data (loaded by `relance demo` / `npm start`). */
  demo_data: Optional<number>;
  /** Days a payment-page link opens the page (1 to 365, 60 by default). */
  portal_link_days: Optional<number>;
  /** 1 when collectors are e-mailed of customers' actions on the page and of their answers (the default). */
  notify_answers: Optional<number>;
  created_at: string;
};

export type CustomerTable = {
  company_id: string;
  id: string;
  code: string;
  name: string;
  kind: string;
  siren: string | null;
  vat_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postcode: string | null;
  city: string | null;
  country: string;
  language: string;
  sales_rep: string | null;
  payment_terms: string | null;
  notes: string | null;
  /** Code and name folded for accent- and case-insensitive search (customerSearchText), indexed (migration 0018). */
  search_text: string;
  policy_id: Optional<string | null>;
  dunning_paused_until: Optional<string | null>;
  dunning_blocked_reason: Optional<string | null>;
  /** The contract's "loi applicable" (FR, DE, GB, EU) when not the seller's; null follows the default rule. */
  governing_law: Optional<string | null>;
  /** The day of the oldest real answer nobody has read yet (customer_replies); the planner's `reply_unread` hold. */
  reply_unread_since: Optional<string | null>;
  created_at: string;
  updated_at: string;
};

export type ContactRow = {
  company_id: string;
  id: string;
  customer_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  role: string | null;
  is_primary: number;
  /** Set by a bounce: the address is no longer used. */
  email_bounced_at?: string | null;
  email_bounce_reason?: string | null;
};

export type InvoiceTable = {
  company_id: string;
  id: string;
  number: string;
  customer_id: string;
  issue_date: string;
  due_date: string;
  currency: string;
  total_excl_tax: number | null;
  total: number;
  allocated: number;
  title: string | null;
  sales_rep: string | null;
  status: string;
  disputed: number;
  dispute_reason: string | null;
  promise_to_pay_date: string | null;
  /**
   * When the dunning engine must look at the invoice again; null means "changed since, look now" and
   * NEVER (9999-12-31) means nothing will ever happen without a change.
   */
  next_action_date: Optional<string | null>;
  /** The "Relances" category cached by src/dunning/categories.ts ('' for none), valid until category_until. */
  dunning_category: Optional<string | null>;
  category_until: Optional<string | null>;
  /** The day the customer announced paying it from the payment page; cleared by its next payment or credit note. */
  payment_announced_on: Optional<string | null>;
  /** The date the customer promised on the payment page; the promise is theirs while promise_to_pay_date equals it. */
  portal_promise_date: Optional<string | null>;
  created_at: string;
  updated_at: string;
};

export type CompanyRow = Selectable<CompanyTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type InvoiceRow = Selectable<InvoiceTable>;

export type InvoiceFileRow = {
  company_id: string;
  invoice_id: string;
  filename: string;
  media_type: string;
  content: Uint8Array;
  sha256: string;
  created_at: string;
};

export type CreditNoteRow = {
  company_id: string;
  id: string;
  number: string;
  customer_id: string;
  date: string;
  currency: string;
  total: number;
  reason: string | null;
  created_at: string;
};

export type PaymentRow = {
  company_id: string;
  id: string;
  customer_id: string;
  date: string;
  currency: string;
  amount: number;
  method: string;
  reference: string | null;
  /** Natural key of an imported payment, so re-importing the same file adds nothing. */
  import_key: string | null;
  created_at: string;
  /** The cheque remittance slip the cheque was taken to the bank on, once it was. */
  remittance_id: string | null;
};

/** A cheque remittance slip (bordereau de remise de chèques), numbered per company. */
export type ChequeRemittanceRow = {
  company_id: string;
  id: string;
  number: number;
  deposited_on: string;
  currency: string;
  total: number;
  cheques: number;
  created_by: string | null;
  created_at: string;
};

export type AllocationRow = {
  company_id: string;
  id: string;
  invoice_id: string;
  payment_id: string | null;
  credit_note_id: string | null;
  date: string;
  amount: number;
  created_at: string;
};

export type QuoteRow = {
  company_id: string;
  id: string;
  number: string;
  customer_id: string;
  date: string;
  valid_until: string;
  currency: string;
  total: number;
  status: string;
  created_at: string;
};

export type PaymentScheduleRow = {
  company_id: string;
  id: string;
  invoice_id: string;
  created_at: string;
};

export type InstalmentRow = {
  company_id: string;
  schedule_id: string;
  seq: number;
  due_date: string;
  amount: number;
};

export type ImportRow = {
  company_id: string;
  id: string;
  kind: string;
  file_name: string;
  sha256: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  created_at: string;
};

export type PolicyRow = {
  company_id: string;
  id: string;
  name: string;
  is_default: number;
  /** The policy as JSON, validated by the domain's policy schema on the way in and out. */
  definition: string;
  created_at: string;
  updated_at: string;
};

export type RunRow = {
  company_id: string;
  id: string;
  run_date: string;
  kind: 'manual' | 'automatic';
  status: 'running' | 'completed' | 'failed';
  dry_run: number;
  summary: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
};

export type CommunicationRow = {
  company_id: string;
  id: string;
  run_id: string | null;
  customer_id: string;
  currency: string;
  level: number;
  label: string;
  channels: string;
  created_at: string;
  /** Set when its message was cancelled at send time (or bounced); its reminders are then `cancelled`. */
  cancelled_at: string | null;
  cancel_reason: string | null;
};

export type ReminderRow = {
  company_id: string;
  id: string;
  invoice_id: string;
  level: number;
  sent_on: string;
  channel: string;
  run_id: string | null;
  communication_id: string;
  created_at: string;
  /** pending (its message waits), sent (SMTP accepted it or its letter was printed), cancelled (migration 0020). */
  state: Optional<ReminderState>;
  /** The invoice's balance (cents) when recorded: the send-time check compares it with today's (migration 0020). */
  balance: Optional<number | null>;
};

/**
 * A reminder is recorded `pending` when its e-mail is queued: the level is taken (never planned twice) but not
 * counted as sent (history, register, levels) until the message leaves; a cancelled one is kept, not counted.
 */
export type ReminderState = 'pending' | 'sent' | 'cancelled';

/* Accounts, audit and webhooks: users are global, everything else is keyed by company. */
export type UserTable = {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  failed_logins: Optional<number>;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  /** 1 for an administrator of the installation (may create companies), else 0. */
  installation_admin: Optional<number>;
};

export type MembershipRow = {
  company_id: string;
  user_id: string;
  role: 'admin' | 'collector' | 'viewer';
  sales_rep: string | null;
  created_at: string;
};

export type SessionRow = {
  /** SHA-256 of the cookie value. */
  id: string;
  user_id: string;
  company_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
};

export type ApiTokenRow = {
  company_id: string;
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** An existing account asked to join a company; it joins only when its owner accepts. */
export type InvitationRow = {
  company_id: string;
  id: string;
  user_id: string;
  role: 'admin' | 'collector' | 'viewer';
  sales_rep: string | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
};

export type PasswordResetRow = {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

export type AuditRow = {
  company_id: string;
  id: string;
  at: string;
  user_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
};

export type WebhookRow = {
  company_id: string;
  id: string;
  url: string;
  secret: string;
  events: string;
  active: number;
  created_at: string;
};

export type WebhookDeliveryRow = {
  company_id: string;
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  response_status: number | null;
  created_at: string;
  delivered_at: string | null;
};

/* E-mail delivery: the outbox and each company's mail settings. */
/** `cancelled`: not sent, its invoices paid, disputed or held after it was queued (migration 0013). */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'cancelled';
export type OutboxTable = {
  company_id: string;
  id: string;
  idempotency_key: string;
  kind: 'reminder' | 'manual' | 'test' | 'simulation';
  communication_id: string | null;
  customer_id: string | null;
  status: OutboxStatus;
  message_id: string;
  from_address: string | null;
  /** JSON arrays of addresses. */
  to_addresses: string;
  cc_addresses: string;
  bcc_addresses: string;
  reply_to: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON array of attachment references (see src/mail/attachments.ts). */
  attachments: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  /** Catalogue code of why it is not sent (`outbox.errors.*`) and its params as JSON (migration 0021). */
  error_code: string | null;
  error_params: string | null;
  smtp_response: string | null;
  eml_path: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
};
export type OutboxRow = Selectable<OutboxTable>;

export type MailSettingsRow = {
  company_id: string;
  smtp_url: string | null;
  from_address: string | null;
  reply_to: string | null;
  cc: string | null;
  bcc: string | null;
  dkim_domain: string | null;
  dkim_selector: string | null;
  dkim_private_key: string | null;
  /** Where customers' answers go (`reponses@domain`); each reminder's Reply-To is `reponses+<tag>@domain`. */
  reply_address?: string | null;
  updated_at: string;
};

/* Message templates: a company's own version of a built-in template, per kind and language. */
export type TemplateRow = {
  company_id: string;
  key: string;
  language: string;
  subject: string;
  text: string;
  html: string;
  letter: string;
  updated_at: string;
};

/* Letters: each company's letter settings, and the documents produced (a run's printable batch). */
export type LetterSettingsRow = {
  company_id: string;
  window_left_mm: number;
  window_top_mm: number;
  window_width_mm: number;
  window_height_mm: number;
  duplex: number;
  logo: Uint8Array | null;
  logo_media_type: string | null;
  updated_at: string;
};

export type DocumentRow = {
  company_id: string;
  id: string;
  run_id: string | null;
  kind: string;
  /** Where the file is, relative to the working directory or absolute. */
  path: string;
  letters: number;
  pages: number;
  bytes: number;
  sha256: string;
  created_at: string;
};

/* Integrations: e-invoice lifecycle, bank statements, SEPA direct debit, quote and instalment reminders. */
export type EInvoiceStatusRow = {
  company_id: string;
  id: string;
  invoice_id: string;
  code: number;
  status_date: string;
  note: string | null;
  amount: number | null;
  file_name: string;
  created_at: string;
};
export type SepaSettingsRow = { company_id: string; id: string; creditor_id: string; updated_at: string };
export type SepaMandateRow = {
  company_id: string;
  id: string;
  customer_id: string;
  reference: string;
  signed_on: string;
  iban: string;
  bic: string | null;
  first_debit_on: string | null;
  revoked_on: string | null;
  created_at: string;
};
export type DirectDebitRow = {
  company_id: string;
  id: string;
  batch_id: string;
  customer_id: string;
  invoice_id: string;
  mandate_id: string;
  collection_date: string;
  amount: number;
  currency: string;
  end_to_end_id: string;
  sequence_type: 'FRST' | 'RCUR';
  status: 'pending' | 'paid' | 'returned';
  payment_id: string | null;
  created_at: string;
};
export type BankLineRow = {
  company_id: string;
  id: string;
  import_key: string;
  account: string | null;
  booking_date: string;
  amount: number;
  currency: string;
  counterparty: string | null;
  reference: string | null;
  status: 'matched' | 'unmatched' | 'ignored';
  invoice_id: string | null;
  payment_id: string | null;
  file_name: string;
  created_at: string;
};
export type QuoteReminderRow = {
  company_id: string;
  id: string;
  quote_id: string;
  level: number;
  sent_on: string;
  outbox_id: string | null;
  created_at: string;
};
export type FollowUpSettingsRow = { company_id: string; quote_policy: string; updated_at: string };
export type InstalmentReminderRow = {
  company_id: string;
  id: string;
  schedule_id: string;
  seq: number;
  sent_on: string;
  outbox_id: string | null;
  created_at: string;
};
/** A note, a call logged or a task of a customer (kind), a task with its date and assignee until done. */
export type CustomerActivityRow = {
  company_id: string;
  id: string;
  customer_id: string;
  kind: 'note' | 'call' | 'task';
  body: string;
  due_on: string | null;
  assigned_to: string | null;
  /** The invoice the task is about: the payment page files one per dispute. */
  invoice_id: string | null;
  done_at: string | null;
  created_by: string | null;
  created_at: string;
};

/** A late-payment reference rate entered by the company, overriding the shipped value of that series and date. */
export type LatePaymentRateRow = {
  company_id: string;
  series: string;
  effective_from: string;
  rate_bp: number;
  source: string;
  created_by: string | null;
  created_at: string;
};

/** An e-mail a customer sent back; HTML bodies are kept as their text only. */
export type CustomerReplyRow = {
  company_id: string;
  id: string;
  customer_id: string;
  /** The Message-ID of ours it answers, when its headers or its address name one. */
  in_reply_to: string | null;
  outbox_id: string | null;
  rfc_message_id: string | null;
  from_address: string;
  subject: string;
  text_body: string;
  /** 1 for an out-of-office or other automatic answer: stored, but no hold and no notification. */
  auto_reply: number;
  auto_reason: string | null;
  size: number;
  received_at: string;
  read_at: string | null;
  read_by: string | null;
};

export type CustomerReplyAttachmentRow = {
  company_id: string;
  reply_id: string;
  position: number;
  filename: string;
  content_type: string;
  size: number;
  content: Buffer;
};

/** A customer's payment-page link: the token's SHA-256 only, never the token. */
export type PortalLinkRow = {
  company_id: string;
  id: string;
  customer_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
};
/** "J'ai payé" from the payment page: what the customer says, not a payment. `invoice_ids` is a JSON array. */
export type PaymentAnnouncementRow = {
  company_id: string;
  id: string;
  customer_id: string;
  invoice_ids: string;
  paid_on: string;
  amount: number;
  currency: string;
  means: string;
  created_by: string | null;
  created_at: string;
};
/** Instalments a customer proposed (JSON [{dueDate, amount}]), pending until accepted or refused. */
export type ScheduleRequestRow = {
  company_id: string;
  id: string;
  customer_id: string;
  invoice_id: string;
  instalments: string;
  message: string | null;
  status: 'pending' | 'accepted' | 'refused';
  answer: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
};
/** A file a customer attached to a dispute from the payment page. */
export type PortalFileRow = {
  company_id: string;
  id: string;
  customer_id: string;
  invoice_id: string;
  filename: string;
  media_type: string;
  content: Uint8Array;
  created_at: string;
};

export type Database = {
  companies: CompanyTable;
  customers: CustomerTable;
  contacts: ContactRow;
  invoices: InvoiceTable;
  invoice_files: InvoiceFileRow;
  credit_notes: CreditNoteRow;
  payments: PaymentRow;
  allocations: AllocationRow;
  quotes: QuoteRow;
  payment_schedules: PaymentScheduleRow;
  instalments: InstalmentRow;
  imports: ImportRow;
  policies: PolicyRow;
  runs: RunRow;
  communications: CommunicationRow;
  reminders: ReminderRow;
  letter_settings: LetterSettingsRow;
  documents: DocumentRow;
  templates: TemplateRow;
  outbox: OutboxTable;
  mail_settings: MailSettingsRow;
  users: UserTable;
  memberships: MembershipRow;
  sessions: SessionRow;
  api_tokens: ApiTokenRow;
  password_resets: PasswordResetRow;
  invitations: InvitationRow;
  audit_log: AuditRow;
  webhooks: WebhookRow;
  webhook_deliveries: WebhookDeliveryRow;
  einvoice_statuses: EInvoiceStatusRow;
  late_payment_rates: LatePaymentRateRow;
  sepa_settings: SepaSettingsRow;
  sepa_mandates: SepaMandateRow;
  direct_debits: DirectDebitRow;
  bank_lines: BankLineRow;
  quote_reminders: QuoteReminderRow;
  instalment_reminders: InstalmentReminderRow;
  follow_up_settings: FollowUpSettingsRow;
  customer_activities: CustomerActivityRow;
  cheque_remittances: ChequeRemittanceRow;
  customer_replies: CustomerReplyRow;
  customer_reply_attachments: CustomerReplyAttachmentRow;
  portal_links: PortalLinkRow;
  payment_announcements: PaymentAnnouncementRow;
  schedule_requests: ScheduleRequestRow;
  portal_files: PortalFileRow;
};
