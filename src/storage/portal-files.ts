import type { Db } from './database.ts';

export type PortalFile = {
  id: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
};

function base(db: Db, companyId: string) {
  return db
    .selectFrom('portal_files as f')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'f.company_id').onRef('i.id', '=', 'f.invoice_id'))
    .select(['f.id', 'f.customer_id', 'f.invoice_id', 'i.number', 'f.filename', 'f.media_type', 'f.created_at'])
    .select((eb) => eb.fn<number>('length', ['f.content']).as('size'))
    .where('f.company_id', '=', companyId);
}

type Row = {
  id: string;
  customer_id: string;
  invoice_id: string;
  number: string;
  filename: string;
  media_type: string;
  created_at: string;
  size: number;
};

function toFile(r: Row): PortalFile {
  return {
    id: r.id,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.number,
    filename: r.filename,
    contentType: r.media_type,
    size: Number(r.size),
    createdAt: r.created_at,
  };
}

/** The files a customer attached on their payment page, newest first (without their content). */
export async function listPortalFiles(db: Db, companyId: string, customerId: string): Promise<PortalFile[]> {
  const rows = await base(db, companyId)
    .where('f.customer_id', '=', customerId)
    .orderBy('f.created_at', 'desc')
    .execute();
  return rows.map(toFile);
}

export async function getPortalFile(
  db: Db,
  companyId: string,
  id: string,
): Promise<(PortalFile & { content: Buffer }) | undefined> {
  const row = await base(db, companyId).select('f.content').where('f.id', '=', id).executeTakeFirst();
  return row ? { ...toFile(row), content: Buffer.from(row.content) } : undefined;
}
