import { AppError } from '../shared/errors.ts';
import { isValidTimeZone } from '../domain/calendar.ts';
import { isEmail, parseBic, parseIban, parseSiren } from '../domain/identifiers.ts';
import { isId, newId } from '../shared/ids.ts';
import type { Company } from '../domain/ledger.ts';
import { addressFromRow, addressToRow } from './address.ts';
import { nowIso, type Db } from './database.ts';
import type { CompanyRow } from './schema.ts';

/** How many days a payment-page link opens the page when the company has not chosen. */
export const PORTAL_LINK_DAYS = 60;

export type CompanyInput = Partial<Omit<Company, 'id' | 'address' | 'automation'>> & {
  legalName: string;
  address?: Partial<Company['address']>;
  automation?: Partial<Company['automation']>;
};

export function toCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    legalName: row.legal_name,
    siren: row.siren,
    vatNumber: row.vat_number,
    address: addressFromRow(row),
    iban: row.iban,
    bic: row.bic,
    currency: row.currency,
    timeZone: row.time_zone,
    locale: row.locale,
    letterhead: row.letterhead,
    automation: {
      enabled: row.auto_run === 1,
      time: row.auto_run_time,
      skipWeekends: row.skip_weekends === 1,
      skipHolidays: row.skip_holidays === 1,
    },
    paymentLinkPattern: row.payment_link_pattern,
    formalNoticeDays: row.formal_notice_days,
    portalLinkDays: row.portal_link_days ?? PORTAL_LINK_DAYS,
    notifyAnswers: row.notify_answers !== 0,
    legalForm: row.legal_form,
    shareCapital: row.share_capital,
    siret: row.siret,
    rcs: row.rcs,
    phone: row.phone,
    senderName: row.sender_name,
    senderEmail: row.sender_email,
    demoData: row.demo_data === 1,
  };
}

/**
 * Refuses what `updateCompany` would refuse (time zone, automation time, message settings, identifiers and bank
 * details), so a set-up with several steps can check the identity before it writes anything.
 */
export function checkCompanyInput(input: Partial<CompanyInput>): void {
  checkBankDetails(input);
  toRow({ legalName: 'x', ...input });
}

function toRow(input: CompanyInput): Omit<CompanyRow, 'id' | 'is_default' | 'created_at'> {
  const automation = { enabled: false, time: '09:00', skipWeekends: true, skipHolidays: true, ...input.automation };
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
    throw new AppError(
      'invalid_input',
      `"${input.timeZone}" is not a time zone (use an IANA name such as Europe/Paris).`,
      [],
      { key: 'problem.company.timeZone', params: { value: input.timeZone } },
    );
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(automation.time)) {
    throw new AppError('invalid_input', `automation.time "${automation.time}" must be HH:MM (24-hour).`, [], {
      key: 'problem.company.automationTime',
      params: { value: automation.time },
    });
  }
  checkMessageSettings(input);
  checkIdentity(input);
  return {
    legal_name: input.legalName,
    siren: input.siren ?? null,
    vat_number: input.vatNumber ?? null,
    ...addressToRow(input.address),
    // Kept as banks print them on a statement: without spaces, in capitals.
    iban: blankToNull(input.iban)?.replace(/[\s-]/g, '').toUpperCase() ?? null,
    bic: blankToNull(input.bic)?.replace(/\s/g, '').toUpperCase() ?? null,
    currency: input.currency ?? 'EUR',
    time_zone: input.timeZone ?? 'Europe/Paris',
    locale: input.locale ?? 'fr',
    letterhead: input.letterhead ?? null,
    auto_run: automation.enabled ? 1 : 0,
    auto_run_time: automation.time,
    skip_weekends: automation.skipWeekends ? 1 : 0,
    skip_holidays: automation.skipHolidays ? 1 : 0,
    payment_link_pattern: input.paymentLinkPattern ?? null,
    formal_notice_days: input.formalNoticeDays ?? 8,
    portal_link_days: input.portalLinkDays ?? PORTAL_LINK_DAYS,
    notify_answers: input.notifyAnswers === false ? 0 : 1,
    legal_form: blankToNull(input.legalForm),
    share_capital: input.shareCapital ?? null,
    siret: blankToNull(input.siret)?.replace(/[\s.\u00a0]/g, '') ?? null,
    rcs: blankToNull(input.rcs),
    phone: blankToNull(input.phone),
    sender_name: blankToNull(input.senderName),
    sender_email: blankToNull(input.senderEmail),
    demo_data: input.demoData ? 1 : 0,
  };
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The identifiers a letterhead prints are checked as they are typed, not when a letter is refused later. */
function checkIdentity(input: CompanyInput): void {
  const siret = blankToNull(input.siret);
  if (siret !== null) {
    const parsed = parseSiren(siret);
    if (!parsed.ok || siret.replace(/[\s.\u00a0]/g, '').length !== 14) {
      throw new AppError(
        'invalid_input',
        `siret "${siret}" is not a SIRET (14 digits with a valid key).`,
        [{ field: 'siret', value: siret, reason: 'a SIRET has 14 digits', code: 'reason.siret' }],
        { key: 'problem.company.siret', params: { value: siret } },
      );
    }
  }
  const sender = blankToNull(input.senderEmail);
  if (sender !== null && !isEmail(sender)) {
    throw new AppError(
      'invalid_input',
      `senderEmail "${sender}" is not an e-mail address.`,
      [{ field: 'senderEmail', value: sender, reason: 'not an e-mail address', code: 'reason.notEmail' }],
      { key: 'problem.fieldNotEmail', params: { field: 'senderEmail', value: sender } },
    );
  }
  if (
    input.shareCapital !== undefined &&
    input.shareCapital !== null &&
    (!Number.isInteger(input.shareCapital) || input.shareCapital < 0)
  ) {
    throw new AppError(
      'invalid_input',
      `shareCapital ${input.shareCapital} must be a whole number of cents, 0 or more.`,
      [],
      { key: 'problem.company.shareCapital' },
    );
  }
}

/**
 * The bank details letters print for a transfer, checked when they are given (a value stored before the
 * check existed does not block other changes to the company).
 */
function checkBankDetails(input: Partial<CompanyInput>): void {
  const iban = blankToNull(input.iban);
  if (iban !== null) {
    const parsed = parseIban(iban);
    if (!parsed.ok) {
      const key = parsed.code === 'parse.ibanCheckDigits' ? 'identity.ibanCheck' : 'identity.ibanFormat';
      throw new AppError(
        'invalid_input',
        `iban: ${parsed.reason}.`,
        [{ field: 'iban', value: iban, reason: parsed.reason, code: parsed.code, params: parsed.params }],
        { key, params: { value: iban } },
      );
    }
  }
  const bic = blankToNull(input.bic);
  if (bic !== null && !parseBic(bic).ok) {
    throw new AppError(
      'invalid_input',
      `bic "${bic}" is not a BIC (8 or 11 characters).`,
      [{ field: 'bic', value: bic, reason: 'not a BIC', code: 'parse.notBic', params: { value: bic } }],
      { key: 'identity.bic', params: { value: bic } },
    );
  }
}

function checkMessageSettings(input: CompanyInput): void {
  const pattern = input.paymentLinkPattern;
  // The placeholders are the only spaces allowed: what remains must be a plain http(s) URL.
  const filled = pattern?.replace(/\{\{\s*(reference|amount|customer)\s*\}\}/g, 'x');
  if (filled !== undefined && filled !== null && !/^https?:\/\/[^\s"<>{}]+$/.test(filled)) {
    throw new AppError(
      'invalid_input',
      `paymentLinkPattern "${pattern}" must be an http(s) URL without spaces, ` +
        'with {{ reference }}, {{ amount }} or {{ customer }} where the values go.',
      [],
      {
        key: 'problem.company.paymentLink',
        params: {
          value: pattern ?? '',
          reference: '{{ reference }}',
          amount: '{{ amount }}',
          customer: '{{ customer }}',
        },
      },
    );
  }
  const days = input.formalNoticeDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 90)) {
    throw new AppError('invalid_input', `formalNoticeDays ${days} must be a whole number of days from 1 to 90.`, [], {
      key: 'problem.company.formalNoticeDays',
      params: { value: days },
    });
  }
  const linkDays = input.portalLinkDays;
  if (linkDays !== undefined && (!Number.isInteger(linkDays) || linkDays < 1 || linkDays > 365)) {
    throw new AppError(
      'invalid_input',
      `portalLinkDays ${linkDays} must be a whole number of days from 1 to 365.`,
      [],
      { key: 'problem.company.portalLinkDays', params: { value: linkDays } },
    );
  }
}

export async function createCompany(
  db: Db,
  input: CompanyInput,
  options: { isDefault?: boolean } = {},
): Promise<Company> {
  checkBankDetails(input);
  const row: CompanyRow = { id: newId(), ...toRow(input), is_default: options.isDefault ? 1 : 0, created_at: nowIso() };
  await db.insertInto('companies').values(row).execute();
  return toCompany(row);
}

export async function getCompany(db: Db, companyId: string): Promise<Company> {
  if (!isId(companyId))
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  const row = await db.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  return toCompany(row);
}

export async function listCompanies(db: Db): Promise<Company[]> {
  const rows = await db.selectFrom('companies').selectAll().orderBy('created_at').execute();
  return rows.map(toCompany);
}

/** The company used when none is named, or undefined before the first one is made. */
export async function findDefaultCompany(db: Db): Promise<Company | undefined> {
  const row = await db.selectFrom('companies').selectAll().where('is_default', '=', 1).executeTakeFirst();
  return row && toCompany(row);
}

/**
 * Makes the default company ('Ma société') unless there is one. A concurrent first start may have won the unique
 * default index: then nothing is written and its company is returned. `created` is true only for the call that made
 * it, so its audit row is written once.
 */
export async function insertDefaultCompany(db: Db): Promise<{ company: Company; created: boolean }> {
  const row: CompanyRow = {
    id: newId(),
    ...toRow({ legalName: 'Ma société' }),
    is_default: 1,
    created_at: nowIso(),
  };
  const inserted = await db
    .insertInto('companies')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const company = await db.selectFrom('companies').selectAll().where('is_default', '=', 1).executeTakeFirstOrThrow();
  return { company: toCompany(company), created: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 };
}

/**
 * The company used when none is named, made on first use (for tests and tools; the command line goes through
 * `openDefaultCompany`, which audits the making).
 */
export async function ensureDefaultCompany(db: Db): Promise<Company> {
  return (await findDefaultCompany(db)) ?? (await insertDefaultCompany(db)).company;
}

/** Changes the given fields only; what the input leaves out keeps its value. */
export async function updateCompany(db: Db, companyId: string, input: Partial<CompanyInput>): Promise<Company> {
  checkBankDetails(input);
  const current = await getCompany(db, companyId);
  const merged: CompanyInput = {
    ...current,
    ...input,
    address: { ...current.address, ...input.address },
    automation: { ...current.automation, ...input.automation },
  };
  const result = await db.updateTable('companies').set(toRow(merged)).where('id', '=', companyId).executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('not_found', `No company with id ${companyId}.`, [], {
      key: 'problem.notFound.company',
      params: { id: companyId },
    });
  return getCompany(db, companyId);
}
