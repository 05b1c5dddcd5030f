import { createHash } from 'node:crypto';
import type { IsoDate } from '../../domain/calendar.ts';
import type { Cents } from '../../domain/money.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import {
  all,
  attributeAt,
  decodeXml,
  first,
  parseXml,
  textAt,
  xmlAmount,
  xmlDate,
  XmlReader,
  type XmlElement,
} from '../xml.ts';

/** One movement of a bank statement: a credit (amount > 0) or a debit (amount < 0). */
export type BankLine = {
  /** Stable per movement, so importing the same statement twice records each line once. */
  key: string;
  account: string | null;
  bookingDate: IsoDate;
  amount: Cents;
  currency: string;
  counterparty: string | null;
  counterpartyIban: string | null;
  /** Everything the payer wrote: end-to-end id, structured reference, unstructured remittance text. */
  reference: string | null;
  endToEndId: string | null;
  /** Where the line is in the file, for error messages and the report. */
  where: string;
};

export function lineKey(parts: (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function party(tx: XmlElement | undefined, role: 'Dbtr' | 'Cdtr'): string | null {
  // camt.053.001.02–07 put the name at RltdPties/Dbtr/Nm, .08 and later at RltdPties/Dbtr/Pty/Nm.
  return (
    textAt(tx, `RltdPties/${role}/Nm`) ??
    textAt(tx, `RltdPties/${role}/Pty/Nm`) ??
    textAt(tx, `RltdPties/Ultmt${role}/Nm`)
  );
}

/** The lines of one booked entry (one per transaction of a batch booking); none for a pending or reversed one. */
function readEntry(
  reader: XmlReader,
  entry: XmlElement,
  n: number,
  where: string,
  account: string | null,
  accountCurrency: string | null,
): BankLine[] {
  const lines: BankLine[] = [];
  const status = textAt(entry, 'Sts/Cd') ?? textAt(entry, 'Sts');
  if (status && status !== 'BOOK') return lines;
  if (textAt(entry, 'RvslInd') === 'true') return lines;
  const sign = textAt(entry, 'CdtDbtInd');
  if (sign !== 'CRDT' && sign !== 'DBIT')
    reader.fail(`${where}/CdtDbtInd`, `"${sign ?? ''}" is not CRDT or DBIT`, {
      key: 'reason.xml.notCreditDebit',
      params: { value: sign ?? '' },
    });
  const currency =
    attributeAt(entry, 'Amt', 'Ccy') ??
    accountCurrency ??
    reader.fail(`${where}/Amt`, 'has no currency (Ccy)', { key: 'reason.xml.noCurrency' });
  const entryAmount = xmlAmount(
    reader,
    `${where}/Amt`,
    textAt(entry, 'Amt') ?? reader.fail(`${where}/Amt`, 'is missing', { key: 'reason.xml.missingPlain' }),
    currency,
  );
  const dateText =
    textAt(entry, 'BookgDt/Dt') ??
    textAt(entry, 'BookgDt/DtTm') ??
    textAt(entry, 'ValDt/Dt') ??
    reader.fail(`${where}/BookgDt`, 'is missing (booking date)', {
      key: 'reason.xml.missing',
      params: { term: 'bookingDate' },
    });
  const bookingDate = xmlDate(reader, `${where}/BookgDt`, dateText);
  const details = all(entry, 'NtryDtls/TxDtls');
  const parts = details.length > 0 ? details : [undefined];
  parts.forEach((tx, t) => {
    const txWhere = tx ? `${where}/NtryDtls/TxDtls[${t + 1}]` : where;
    const txAmountText = textAt(tx, 'Amt') ?? textAt(tx, 'AmtDtls/TxAmt/Amt');
    const txCurrency = attributeAt(tx, 'Amt', 'Ccy') ?? attributeAt(tx, 'AmtDtls/TxAmt/Amt', 'Ccy') ?? currency;
    // A single transaction may leave its amount to the entry; a batch must give each one.
    const amount =
      txAmountText !== null
        ? xmlAmount(reader, `${txWhere}/Amt`, txAmountText, txCurrency)
        : parts.length === 1
          ? entryAmount
          : reader.fail(`${txWhere}/Amt`, 'is missing in a batch entry', { key: 'reason.xml.missingInBatch' });
    const txSign = textAt(tx, 'CdtDbtInd') ?? sign;
    const credit = txSign === 'CRDT';
    const endToEndId = textAt(tx, 'Refs/EndToEndId');
    const texts = [
      endToEndId === 'NOTPROVIDED' ? null : endToEndId,
      ...all(tx, 'RmtInf/Strd').map((strd) => textAt(strd, 'CdtrRefInf/Ref')),
      ...all(tx, 'RmtInf/Ustrd').map((u) => (typeof u === 'string' ? u : textAt({ x: [u] }, 'x'))),
      textAt(entry, 'AddtlNtryInf'),
    ].filter((x): x is string => x !== null && x !== '');
    const bankRef =
      textAt(tx, 'Refs/AcctSvcrRef') ??
      textAt(tx, 'Refs/TxId') ??
      textAt(entry, 'AcctSvcrRef') ??
      textAt(entry, 'NtryRef');
    lines.push({
      key: `camt:${lineKey([account, bookingDate, credit ? amount : -amount, bankRef, endToEndId, bankRef ? null : `${n}.${t}`])}`,
      account,
      bookingDate,
      amount: credit ? amount : -amount,
      currency: txCurrency,
      counterparty: credit ? party(tx, 'Dbtr') : party(tx, 'Cdtr'),
      counterpartyIban: textAt(tx, credit ? 'RltdPties/DbtrAcct/Id/IBAN' : 'RltdPties/CdtrAcct/Id/IBAN'),
      reference: texts.length > 0 ? [...new Set(texts)].join(' ') : null,
      endToEndId: endToEndId === 'NOTPROVIDED' ? null : endToEndId,
      where: txWhere,
    });
  });
  return lines;
}

/**
 * Reads a CAMT.053 bank-to-customer statement (versions 001.02 to 001.13): each booked entry, split into
 * its transaction details when a batch booking carries several. Pending (PDNG) and informational
 * entries are left out: only booked money settles an invoice.
 *
 * A bad entry rejects the file, unless `skipped` is given: then the entry is left out (all its
 * transactions) and its element and reason are added there, and the other entries are read.
 */
export function readCamt053(fileName: string, bytes: Uint8Array, skipped?: FieldIssue[]): BankLine[] {
  const reader = new XmlReader(fileName);
  const { rootName, root } = parseXml(decodeXml(bytes), reader);
  // camt.052 (intraday report) and camt.054 (debit/credit notification) carry entries of the same shape.
  const kinds = [
    ['BkToCstmrStmt', 'Stmt'],
    ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'],
    ['BkToCstmrAcctRpt', 'Rpt'],
  ] as const;
  const kind =
    (rootName === 'Document' ? kinds.find(([message]) => first(root, message)) : undefined) ??
    reader.fail(rootName, 'is not a CAMT.053 statement (expected Document/BkToCstmrStmt, or camt.054 / camt.052)', {
      key: 'reason.xml.notCamt',
    });
  const statements = all(root, `${kind[0]}/${kind[1]}`);
  if (statements.length === 0)
    reader.fail(`${kind[0]}/${kind[1]}`, 'is missing (no statement in the file)', { key: 'reason.xml.noStatement' });
  const lines: BankLine[] = [];
  statements.forEach((stmt, s) => {
    const account = textAt(stmt, 'Acct/Id/IBAN') ?? textAt(stmt, 'Acct/Id/Othr/Id');
    const accountCurrency = textAt(stmt, 'Acct/Ccy');
    all(stmt, 'Ntry').forEach((entry, n) => {
      const where = `${kind[1]}[${s + 1}]/Ntry[${n + 1}]`;
      let entryLines: BankLine[];
      try {
        entryLines = readEntry(reader, entry, n, where, account, accountCurrency);
      } catch (error) {
        if (!skipped || !(error instanceof AppError)) throw error;
        skipped.push(
          ...(error.issues.length > 0
            ? error.issues
            : [
                {
                  field: where,
                  reason: error.message,
                  code: error.messageKey,
                  ...(error.params ? { params: error.params } : {}),
                },
              ]),
        );
        return;
      }
      lines.push(...entryLines);
    });
  });
  // Two movements with the same bank reference in one file stay two lines (and the same two on re-import).
  const seen = new Map<string, number>();
  for (const line of lines) {
    const n = (seen.get(line.key) ?? 0) + 1;
    seen.set(line.key, n);
    if (n > 1) line.key = `${line.key}:${n}`;
  }
  return lines;
}
