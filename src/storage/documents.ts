import { createHash } from 'node:crypto';
import {
  DEFAULT_WINDOW,
  EnvelopeWindowSchema,
  type EnvelopeWindow,
  type LetterSettings,
} from '../domain/letter-settings.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';

/** The company's letter settings; defaults (DL right window, simplex, no logo) until it sets its own. */
export async function getLetterSettings(db: Db, companyId: string): Promise<LetterSettings> {
  const row = await db.selectFrom('letter_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
  if (!row) return { window: DEFAULT_WINDOW, duplex: false, logo: null };
  return {
    window: {
      leftMm: row.window_left_mm,
      topMm: row.window_top_mm,
      widthMm: row.window_width_mm,
      heightMm: row.window_height_mm,
    },
    duplex: row.duplex === 1,
    logo:
      row.logo && row.logo_media_type ? { content: new Uint8Array(row.logo), mediaType: row.logo_media_type } : null,
  };
}

export type LetterSettingsInput = {
  window?: EnvelopeWindow;
  duplex?: boolean;
  /** PNG or JPEG bytes; null removes the logo. */
  logo?: Uint8Array | null;
};

function logoType(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  throw new AppError('invalid_input', 'logo: only PNG and JPEG images can be printed on letters.', [], {
    key: 'problem.documents.logoType',
  });
}

/** Changes the given settings only. */
export async function setLetterSettings(
  db: Db,
  companyId: string,
  input: LetterSettingsInput,
): Promise<LetterSettings> {
  const current = await getLetterSettings(db, companyId);
  const window = input.window ?? current.window;
  const checked = EnvelopeWindowSchema.safeParse(window);
  if (!checked.success)
    throw new AppError('invalid_input', `window: ${checked.error.issues.map((i) => i.message).join('; ')}.`, [], {
      key: 'problem.documents.window',
      params: { reason: checked.error.issues.map((i) => i.message).join('; ') },
    });
  if (input.logo && input.logo.length > 2_000_000)
    throw new AppError('invalid_input', 'logo: the image must be under 2 MB.', [], {
      key: 'problem.documents.logoSize',
    });
  const logo =
    input.logo === undefined
      ? current.logo
      : input.logo === null
        ? null
        : { content: input.logo, mediaType: logoType(input.logo) };
  const row = {
    company_id: companyId,
    window_left_mm: window.leftMm,
    window_top_mm: window.topMm,
    window_width_mm: window.widthMm,
    window_height_mm: window.heightMm,
    duplex: (input.duplex ?? current.duplex) ? 1 : 0,
    logo: logo?.content ?? null,
    logo_media_type: logo?.mediaType ?? null,
    updated_at: nowIso(),
  };
  const { company_id: _key, ...changes } = row;
  await db
    .insertInto('letter_settings')
    .values(row)
    .onConflict((oc) => oc.column('company_id').doUpdateSet(changes))
    .execute();
  return getLetterSettings(db, companyId);
}

export type StoredDocument = {
  id: string;
  runId: string | null;
  kind: string;
  path: string;
  letters: number;
  pages: number;
  bytes: number;
  sha256: string;
  createdAt: string;
};

/** Records where a produced document is; a run's batch of a kind is replaced when the run makes it again. */
export async function recordDocument(
  db: Db,
  companyId: string,
  input: { runId: string | null; kind: string; path: string; letters: number; pages: number } & (
    { content: Uint8Array } | { bytes: number; sha256: string }
  ),
): Promise<StoredDocument> {
  const [bytes, sha256] =
    'content' in input
      ? [input.content.length, createHash('sha256').update(input.content).digest('hex')]
      : [input.bytes, input.sha256];
  const row = {
    company_id: companyId,
    id: newId(),
    run_id: input.runId,
    kind: input.kind,
    path: input.path,
    letters: input.letters,
    pages: input.pages,
    bytes,
    sha256,
    created_at: nowIso(),
  };
  const { company_id: _c, id: _i, run_id: _r, kind: _k, ...changes } = row;
  const query = db.insertInto('documents').values(row);
  await (
    input.runId === null
      ? query
      : query.onConflict((oc) => oc.columns(['company_id', 'run_id', 'kind']).doUpdateSet(changes))
  ).execute();
  const stored =
    input.runId === null
      ? row
      : await db
          .selectFrom('documents')
          .selectAll()
          .where('company_id', '=', companyId)
          .where('run_id', '=', input.runId)
          .where('kind', '=', input.kind)
          .executeTakeFirstOrThrow();
  return {
    id: stored.id,
    runId: stored.run_id,
    kind: stored.kind,
    path: stored.path,
    letters: stored.letters,
    pages: stored.pages,
    bytes: stored.bytes,
    sha256: stored.sha256,
    createdAt: stored.created_at,
  };
}

export async function getRunDocument(
  db: Db,
  companyId: string,
  runId: string,
  kind = 'letters',
): Promise<StoredDocument | null> {
  const row = await db
    .selectFrom('documents')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('run_id', '=', runId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        runId: row.run_id,
        kind: row.kind,
        path: row.path,
        letters: row.letters,
        pages: row.pages,
        bytes: row.bytes,
        sha256: row.sha256,
        createdAt: row.created_at,
      }
    : null;
}

export type ReminderSummaryRow = {
  invoiceId: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: number;
  allocated: number;
  status: string;
  customerCode: string;
  customerName: string;
  reminders: { level: number; sentOn: string }[];
};

/** Each invoice that has had reminders, with the date of each level: what the "PDF synthèse" prints. */
export async function listReminderSummary(
  db: Db,
  companyId: string,
  filter: { customerCode?: string } = {},
): Promise<ReminderSummaryRow[]> {
  let query = db
    .selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select([
      'i.id',
      'i.number',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'i.total',
      'i.allocated',
      'i.status',
      'c.code',
      'c.name',
      'r.level',
      'r.sent_on',
    ])
    .where('r.company_id', '=', companyId)
    .where('r.state', '=', 'sent')
    .orderBy('c.code')
    .orderBy('i.number')
    .orderBy('r.level');
  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  const rows: ReminderSummaryRow[] = [];
  for (const r of await query.execute()) {
    let last = rows[rows.length - 1];
    if (last?.invoiceId !== r.id) {
      last = {
        invoiceId: r.id,
        number: r.number,
        issueDate: r.issue_date,
        dueDate: r.due_date,
        currency: r.currency,
        total: r.total,
        allocated: r.allocated,
        status: r.status,
        customerCode: r.code,
        customerName: r.name,
        reminders: [],
      };
      rows.push(last);
    }
    last.reminders.push({ level: r.level, sentOn: r.sent_on });
  }
  return rows;
}
